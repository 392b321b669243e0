package io.orrery.functions.internal.worker;

import io.orrery.api.engine.CallResult;
import io.orrery.api.engine.OutboundCall;
import io.orrery.api.function.BatchOutcome;
import io.orrery.api.function.CallAdmission;
import io.orrery.api.function.CallInbox;
import io.orrery.api.function.CallStart;
import io.orrery.api.function.CallTicket;
import io.orrery.api.function.ErrorClass;
import io.orrery.api.function.FunctionFailure;
import io.orrery.api.function.OrreryFunction;
import io.orrery.api.queue.Backoff;
import io.orrery.api.queue.ClaimPacing;
import io.orrery.api.trace.Tracer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The function worker: claims calls, has each admitted by the node's resource pools ({@link CallAdmission}), runs the
 * named function (a Java service or an Emirax {@code function} block) in its slot under the call's timeout ({@link
 * FunctionInvocation}), and delivers the result. Claiming stops while the pools have no room for more waiting calls,
 * except from tenants the pools owe capacity, so a flood of one tenant's calls cannot keep another's reserved slots
 * idle. From claim to settlement each call's claim is extended ({@link LeaseKeeper}), so a call that waits or runs
 * longer than a lease is not handed to a second worker. A failed attempt is retried with exponential backoff and jitter
 * through the queue's delayed nack until the call's attempts are spent; then, or at once for a {@link FunctionFailure},
 * the failure is delivered and the rule's error handler runs. Each attempt's outcome goes back to the pools with its
 * {@link ErrorClass}, where it is counted.
 *
 * <p>Micro-batching: claimed calls of one tenant's function are cut into batches of up to the function's batch size
 * (the pools' {@code batch.<function>}, else {@link OrreryFunction#batchSize()}); a batch takes one slot and one
 * {@link OrreryFunction#applyBatch} under the shortest timeout of its calls, and each call is then settled (or
 * retried) on its own outcome, so one failing element fails only its call.
 *
 * <p>A lone call of a {@link DeferredFunction} (a tenant's function in a warm host) holds no thread while it runs:
 * the thread given the slot sends it, and the thread that learns its answer (the host's reader) settles it and
 * starts the slot's next call ({@link DeferredRuns}).
 */
public final class FunctionWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FunctionWorker.class);
    private final CallInbox inbox;
    private final BiFunction<String, String, Optional<OrreryFunction>> functions;
    private final Supplier<CallAdmission> admission;
    private final ExecutorService claimers;
    private final ExecutorService runners;
    private final ScheduledExecutorService leases;
    private final InterruptAlarm alarm;
    private final LeaseKeeper keeper;
    private final SettledCalls settled;
    private final AttemptOutcomes attempts;
    private final CallClaims claims;
    private final DeferredRuns deferred;
    private final FunctionInvocation invocation;
    private final Set<CallAdmission.Waiting> waiting = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;
    /** Records a span per call; the engine's tracer once {@link #tracer(Supplier)} names it. */
    private volatile Supplier<Tracer> tracer = () -> Tracer.NOOP;
    /** Told each call's queue wait as it starts; the node's function hosts once {@link #waits(Supplier)} names them. */
    private volatile Supplier<CallWaits> waits = () -> CallWaits.NONE;

    /** A worker with {@code threads} slots of its own, as before resource pools. */
    public FunctionWorker(CallInbox inbox, BiFunction<String, String, Optional<OrreryFunction>> functions,
                          Consumer<List<CallResult>> results, int threads, int batch, Backoff backoff) {
        this(inbox, functions, results, threads, batch, backoff, "local");
    }

    /** @param node this node's name, the scope of its crash points */
    public FunctionWorker(CallInbox inbox, BiFunction<String, String, Optional<OrreryFunction>> functions,
                          Consumer<List<CallResult>> results, int threads, int batch, Backoff backoff, String node) {
        this(inbox, functions, results, threads, batch, backoff, node,
                fixed(new FixedSlots(threads, Math.max(1, threads) * batch)));
    }

    /**
     * @param functions (tenant, name) to the function
     * @param results   where settled calls go, as many at a time as settled together (the engine, or the results
     *                  queue)
     * @param threads   threads claiming calls
     * @param batch     the most calls one claim takes
     * @param admission the pools in force now (asked afresh for each claim, so pools published later are used)
     */
    public FunctionWorker(CallInbox inbox, BiFunction<String, String, Optional<OrreryFunction>> functions,
                          Consumer<List<CallResult>> results, int threads, int batch, Backoff backoff, String node,
                          Supplier<CallAdmission> admission) {
        this.inbox = inbox;
        this.functions = functions;
        this.admission = admission;
        this.claimers = Executors.newFixedThreadPool(threads, daemon("orrery-worker-"));
        this.runners = Executors.newCachedThreadPool(daemon("orrery-function-"));
        this.leases = Executors.newSingleThreadScheduledExecutor(daemon("orrery-worker-leases-"));
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, daemon("orrery-worker-alarms-"));
        this.alarm = new InterruptAlarm(timers);
        this.invocation = new FunctionInvocation(functions, runners, alarm, () -> running);
        this.deferred = new DeferredRuns(functions, timers, this::finishDeferred);
        this.keeper = new LeaseKeeper(inbox, leases);
        this.settled = new SettledCalls(inbox, results, node);
        this.attempts = new AttemptOutcomes(inbox, settled, backoff);
        this.claims = new CallClaims(inbox, functions, batch);
        for (int i = 0; i < threads; i++) {
            claimers.execute(this::loop);
        }
    }

    /** The pause of a claiming thread after a claim that found less than it asked for (see {@link ClaimPacing}). */
    public void claimLinger(Duration linger) {
        claims.pacing(new ClaimPacing(linger));
    }

    /** Where each call's span goes: asked afresh per call, so a trace bundle bound later is used. */
    public void tracer(Supplier<Tracer> tracer) {
        this.tracer = tracer;
    }

    /** Where each call's queue wait goes as it starts: asked afresh per call, as the tracer. */
    public void waits(Supplier<CallWaits> waits) {
        this.waits = waits;
    }

    private static Supplier<CallAdmission> fixed(CallAdmission a) {
        return () -> a;
    }

    private static ThreadFactory daemon(String prefix) {
        var n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private void loop() {
        while (running) {
            try {
                CallAdmission pools = admission.get();
                List<CallInbox.ClaimedCall> claimed = claims.claim(pools);
                admitAll(pools, CallBatch.form(claimed, (t, f) -> claims.batchSize(pools, t, f), keeper::hold));
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("worker loop", e);
            }
        }
    }

    /**
     * Has the pools take each batch. Every call is held from its claim, so a batch the pools fail to take is let go
     * (its claims expire and its calls run again) rather than kept alive forever, and the batches after it are
     * still admitted.
     */
    private void admitAll(CallAdmission pools, List<CallBatch> batches) {
        for (CallBatch b : batches) {
            try {
                admit(pools, b);
            } catch (RuntimeException e) {
                LOG.error("tenant {}: a batch of {} calls of {} not admitted; their claims expire and they run again",
                        b.tenant(), b.calls().size(), b.function(), e);
                letGo(b);
            }
        }
    }

    private void admit(CallAdmission pools, CallBatch calls) {
        CallTicket ticket = calls.ticket(inbox::enqueuedAt);
        // The slot may come at once, on this thread, before the wait is recorded: whichever side sees the other
        // second takes the wait off the list, so only calls still waiting stay on it.
        AtomicBoolean begun = new AtomicBoolean();
        AtomicReference<CallAdmission.Waiting> self = new AtomicReference<>();
        CallAdmission.Waiting w = pools.request(ticket, slot -> {
            begun.set(true);
            CallAdmission.Waiting s = self.get();
            if (s != null) {
                waiting.remove(s);
            }
            start(calls, slot, ticket);
        });
        self.set(w);
        waiting.add(w);
        if (begun.get()) {
            waiting.remove(w);
        }
    }

    /**
     * Starts a batch given its slot. It may run on the thread of another batch's slot release (the pools start
     * waiting batches as slots free), so it never throws: a batch that cannot start gives its slot back and lets
     * its calls go, and neither the releasing batch nor the batches started after this one are held up.
     */
    private void start(CallBatch calls, CallAdmission.Slot slot, CallTicket ticket) {
        try {
            claims.roomFreed();
            waited(ticket);
            if (running && deferred.start(calls, slot)) {
                return; // sent: its answer finishes it, on the thread that receives it
            }
            runners.execute(() -> run(calls, slot));
        } catch (RejectedExecutionException e) {
            giveBack(calls, slot); // the worker is closing: the claims expire and the calls run elsewhere
        } catch (RuntimeException | Error e) {
            // e.g. no thread to be had: the calls run again once their claims expire, here or elsewhere
            LOG.error("tenant {}: a batch of {} calls of {} not started", calls.tenant(), calls.calls().size(),
                    calls.function(), e);
            giveBack(calls, slot);
        }
    }

    private static void giveBack(CallBatch calls, CallAdmission.Slot slot) {
        try {
            slot.release(null);
        } finally {
            letGo(calls);
        }
    }

    /** Stops keeping the calls' claims: they expire, and the calls are delivered again. */
    private static void letGo(CallBatch calls) {
        calls.calls().forEach(LeaseKeeper.Held::release);
    }

    private void waited(CallTicket ticket) {
        if (ticket.enqueuedAt() == null) {
            return;
        }
        try {
            Duration wait = Duration.between(ticket.enqueuedAt(), Instant.now());
            waits.get().started(ticket.tenant(), ticket.function(), wait.isNegative() ? Duration.ZERO : wait);
        } catch (RuntimeException e) {
            LOG.debug("queue wait not told: {}", e.toString()); // following load never fails a call
        }
    }

    /** Runs admitted calls in their slot; settles each, or hands it back for a later attempt. */
    private void run(CallBatch calls, CallAdmission.Slot slot) {
        List<LeaseKeeper.Held> live = new ArrayList<>(calls.calls().size());
        List<CallInbox.ClaimedCall> claims = new ArrayList<>(calls.calls().size());
        for (LeaseKeeper.Held held : calls.calls()) {
            CallInbox.ClaimedCall claimed = held.current();
            if (claimed == null) {
                held.release(); // lost before it started: another worker has it
            } else {
                live.add(held);
                claims.add(claimed);
            }
        }
        if (live.isEmpty()) {
            slot.release(null);
            return;
        }
        OutboundCall first = claims.get(0).call();
        MDC.put("tenant", calls.tenant());
        MDC.put("traceId", first.traceId() == null ? "" : first.traceId());
        try {
            List<BatchOutcome> outcomes;
            Instant start = Instant.now();
            AtomicReference<CallStart> began = new AtomicReference<>(CallStart.IN_SERVER);
            try {
                outcomes = invocation.invoke(calls.function(), claims, began);
            } catch (Exception e) {
                outcomes = Collections.nCopies(claims.size(), BatchOutcome.failure(e));
            }
            finish(live, claims, outcomes, slot, began.get(), start);
        } finally {
            slot.release(null); // released once, by finish; this covers an Error thrown by the function
            MDC.remove("tenant");
            MDC.remove("traceId");
        }
    }

    /** A deferred call's outcome, on the thread that learned it; settled as {@link #run} settles its calls. */
    private void finishDeferred(LeaseKeeper.Held held, CallInbox.ClaimedCall claimed, CallAdmission.Slot slot,
                                BatchOutcome outcome, CallStart began, Instant start) {
        MDC.put("tenant", claimed.call().instance().tenant());
        try {
            finish(List.of(held), List.of(claimed), List.of(outcome), slot, began, start);
        } finally {
            MDC.remove("tenant");
        }
    }

    /**
     * Records the calls' spans, frees their slot (counting the first failure's class) and settles each. Freeing the
     * slot starts waiting batches on this thread; whatever it throws, the calls are settled all the same.
     */
    private void finish(List<LeaseKeeper.Held> live, List<CallInbox.ClaimedCall> claims, List<BatchOutcome> outcomes,
                        CallAdmission.Slot slot, CallStart began, Instant start) {
        spans(claims, outcomes, slot.pool(), began, start, Instant.now());
        ErrorClass failure = outcomes.stream().filter(BatchOutcome::failed).findFirst()
                .map(o -> ErrorClass.of(o.error())).orElse(null);
        try {
            slot.release(failure);
        } finally {
            for (int i = 0; i < live.size(); i++) {
                settle(live.get(i), claims.get(i), outcomes.get(i));
            }
        }
    }

    /**
     * Settles one call of a batch on its own: a call that cannot be (its queue failing to take it back, say while a
     * member is lost) is let go, so its claim expires and it runs again, and the batch's other calls are still
     * settled.
     */
    private void settle(LeaseKeeper.Held held, CallInbox.ClaimedCall claimed, BatchOutcome outcome) {
        try {
            attempts.settle(held, claimed, outcome);
        } catch (RuntimeException e) {
            held.release();
            LOG.error("{}: call {} not settled; its claim expires and it runs again", claimed.call().instance(),
                    claimed.call().callId(), e);
        }
    }

    private void spans(List<CallInbox.ClaimedCall> claims, List<BatchOutcome> outcomes, String pool, CallStart began,
                       Instant start, Instant end) {
        try {
            Tracer t = tracer.get();
            for (int i = 0; i < claims.size(); i++) {
                BatchOutcome o = outcomes.get(i);
                CallSpans.record(t, claims.get(i), inbox.waitOf(claims.get(i)), pool, claims.size(), began, start,
                        end, o.failed() ? ErrorClass.of(o.error()) : null);
            }
        } catch (RuntimeException e) {
            LOG.debug("call spans not recorded: {}", e.toString()); // tracing never fails a call
        }
    }

    @Override
    public void close() {
        running = false;
        claimers.shutdownNow();
        awaitClaimers();
        // Calls still waiting for a slot are given up; their claims expire and they run elsewhere.
        waiting.forEach(CallAdmission.Waiting::withdraw);
        runners.shutdownNow();
        leases.shutdownNow();
        alarm.close();
        settled.close();
    }

    /**
     * Waits for claims in flight to end (a claim's wait ends at the interrupt), so that no call is claimed by a
     * worker after its close returned: a claim taken then would wait out its lease before running anywhere.
     */
    private void awaitClaimers() {
        try {
            if (!claimers.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("function worker: a claiming thread did not end within 5 s of the close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
