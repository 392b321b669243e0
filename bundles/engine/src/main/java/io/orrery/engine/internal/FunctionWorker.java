package io.orrery.engine.internal;

import io.orrery.api.fault.CrashPoints;
import io.orrery.api.function.FunctionFailure;
import io.orrery.api.function.OrreryFunction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A plain worker: claims calls, runs the named function (a Java service or an Emirax {@code function} block) under
 * the call's timeout, and delivers the result. A failed attempt is retried with exponential backoff and jitter until
 * the call's attempts are spent; then, or at once for a {@link FunctionFailure}, the failure is delivered and the
 * rule's error handler runs. While a claimed batch runs, the claims of its calls are extended (see
 * {@link LeaseKeeper}), so a call that runs longer than a lease is not handed to a second worker. The functions
 * subsystem grows resource pools, warm capacity and batching on this.
 */
public final class FunctionWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FunctionWorker.class);
    /** How long a call waits for its function to be published before the attempt counts as failed. */
    static final Duration FUNCTION_ARRIVAL = Duration.ofSeconds(30);

    private final CallInbox inbox;
    private final BiFunction<String, String, Optional<OrreryFunction>> functions;
    private final Consumer<List<CallResult>> results;
    private final Backoff backoff;
    private final ExecutorService claimers;
    private final ExecutorService runners;
    private final ScheduledExecutorService leases;
    private final int batch;
    private final String node;
    private volatile boolean running = true;

    /**
     * @param functions (tenant, name) to the function
     * @param results   where settled calls go, a claimed batch at a time (the engine, or the results queue)
     */
    public FunctionWorker(CallInbox inbox, BiFunction<String, String, Optional<OrreryFunction>> functions,
                          Consumer<List<CallResult>> results, int threads, int batch, Backoff backoff) {
        this(inbox, functions, results, threads, batch, backoff, "local");
    }

    /** @param node this node's name, the scope of its crash points */
    public FunctionWorker(CallInbox inbox, BiFunction<String, String, Optional<OrreryFunction>> functions,
                          Consumer<List<CallResult>> results, int threads, int batch, Backoff backoff, String node) {
        this.inbox = inbox;
        this.functions = functions;
        this.results = results;
        this.backoff = backoff;
        this.batch = batch;
        this.node = node;
        this.claimers = Executors.newFixedThreadPool(threads, daemon("orrery-worker-"));
        this.runners = Executors.newCachedThreadPool(daemon("orrery-function-"));
        this.leases = Executors.newSingleThreadScheduledExecutor(daemon("orrery-worker-leases-"));
        for (int i = 0; i < threads; i++) {
            claimers.execute(this::loop);
        }
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
                List<CallInbox.ClaimedCall> claimed = inbox.claim(batch, Duration.ofMillis(200));
                if (!claimed.isEmpty()) {
                    runAll(claimed);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("worker loop", e);
            }
        }
    }

    /**
     * Runs claimed calls to results, retries or final failures; settled ones are delivered and completed together,
     * after delivery, so a crash in between redelivers rather than loses them. A call whose claim was lost meanwhile
     * is not completed (another worker has it now); its result is delivered all the same and applied once.
     */
    public void runAll(List<CallInbox.ClaimedCall> claimed) {
        List<CallResult> settled = new ArrayList<>(claimed.size());
        List<Integer> done = new ArrayList<>(claimed.size());
        try (var keeper = new LeaseKeeper(inbox, claimed, leases)) {
            for (int i = 0; i < claimed.size(); i++) {
                CallInbox.ClaimedCall call = keeper.current(i);
                if (call == null) {
                    continue; // its claim was lost before it started: another worker has it
                }
                CallResult r = run(call);
                if (r != null) {
                    settled.add(r);
                    done.add(i);
                } else {
                    keeper.release(i);
                }
            }
            if (!settled.isEmpty()) {
                CrashPoints.reach(EngineCrashPoints.CALL_RAN_BEFORE_RESULT_SENT, node);
                results.accept(settled);
                CrashPoints.reach(EngineCrashPoints.RESULT_SENT_BEFORE_CALL_ACK, node);
                List<CallInbox.ClaimedCall> toComplete = keeper.finish(done);
                if (!toComplete.isEmpty()) {
                    inbox.completeAll(toComplete);
                }
            }
        }
    }

    /** Runs one claimed call: its result or final failure, or null when it was handed back for a later attempt. */
    private CallResult run(CallInbox.ClaimedCall claimed) {
        OutboundCall call = claimed.call();
        MDC.put("tenant", call.instance().tenant());
        MDC.put("traceId", call.traceId() == null ? "" : call.traceId());
        try {
            Map<String, Object> out = invoke(call);
            return CallResult.success(call.instance(), call.callId(), out, claimed.attempt());
        } catch (FunctionFailure e) {
            return CallResult.failure(call.instance(), call.callId(), e.getMessage(), claimed.attempt());
        } catch (Exception e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (claimed.attempt() < call.maxAttempts()) {
                Duration delay = backoff.delayAfter(claimed.attempt());
                LOG.debug("{} attempt {} failed ({}); retrying in {} ms", call.function(), claimed.attempt(),
                        reason, delay.toMillis());
                inbox.retryLater(claimed, delay, reason);
                return null;
            }
            return CallResult.failure(call.instance(), call.callId(),
                    reason + " (after " + claimed.attempt() + " attempts)", claimed.attempt());
        } finally {
            MDC.remove("tenant");
            MDC.remove("traceId");
        }
    }

    private Map<String, Object> invoke(OutboundCall call) throws Exception {
        OrreryFunction f = awaitFunction(call.instance().tenant(), call.function()).orElseThrow(() ->
                new IllegalStateException("no function named " + call.function() + " for tenant "
                        + call.instance().tenant()));
        Future<Map<String, Object>> running = runners.submit(() -> f.apply(call.args()));
        try {
            Map<String, Object> out = running.get(call.timeoutMs(), TimeUnit.MILLISECONDS);
            return JsonData.copyMap(out, "result of " + call.function());
        } catch (TimeoutException e) {
            running.cancel(true);
            throw new TimeoutException(call.function() + " timed out after " + call.timeoutMs() + " ms");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * The function, waiting up to {@link #FUNCTION_ARRIVAL} for it to appear: on a node that is starting, or right
     * after a deploy, calls are claimed before the tenant's function host has reported its functions, and a call
     * should not spend its attempts on that. The claim is kept alive meanwhile by the {@link LeaseKeeper}.
     */
    private Optional<OrreryFunction> awaitFunction(String tenant, String name) throws InterruptedException {
        long deadline = System.nanoTime() + FUNCTION_ARRIVAL.toNanos();
        Optional<OrreryFunction> f = functions.apply(tenant, name);
        while (f.isEmpty() && running && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(100);
            f = functions.apply(tenant, name);
        }
        return f;
    }

    @Override
    public void close() {
        running = false;
        claimers.shutdownNow();
        runners.shutdownNow();
        leases.shutdownNow();
    }
}
