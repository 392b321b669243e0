package io.orrery.functions.internal.worker;

import io.orrery.api.engine.JsonData;
import io.orrery.api.engine.OutboundCall;
import io.orrery.api.function.BatchOutcome;
import io.orrery.api.function.CallAdmission;
import io.orrery.api.function.CallInbox;
import io.orrery.api.function.CallStart;
import io.orrery.api.function.ErrorClass;
import io.orrery.api.function.OrreryFunction;
import io.orrery.api.function.TransientFailure;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs lone calls of {@link DeferredFunction}s without a thread per running call: the thread that got the slot sends
 * the call and goes on; the answer, or the call's timeout, finishes it (its span, its slot, its settlement) on the
 * thread that learns it. A timed-out call is answered with a {@link TimeoutException} and ended by its function
 * (its host killed), exactly once whichever comes first. Calls it does not take (batches, functions that answer
 * at once, a function that cannot send now) run on a thread as before.
 */
final class DeferredRuns {

    private static final Logger LOG = LoggerFactory.getLogger(DeferredRuns.class);

    /** What the worker does once a call's outcome is known. */
    interface Finish {
        void finish(LeaseKeeper.Held held, CallInbox.ClaimedCall claimed, CallAdmission.Slot slot,
                    BatchOutcome outcome, CallStart began, Instant start);
    }

    private final BiFunction<String, String, Optional<OrreryFunction>> functions;
    private final ScheduledExecutorService timers;
    private final Finish finish;

    DeferredRuns(BiFunction<String, String, Optional<OrreryFunction>> functions, ScheduledExecutorService timers,
                 Finish finish) {
        this.functions = functions;
        this.timers = timers;
        this.finish = finish;
    }

    /** True if the call was sent (it is finished when answered or timed out); false: run it on a thread. */
    boolean start(CallBatch calls, CallAdmission.Slot slot) {
        if (calls.calls().size() != 1) {
            return false;
        }
        CallInbox.ClaimedCall claimed = calls.calls().get(0).current();
        DeferredFunction f = claimed == null ? null : deferred(calls.tenant(), calls.function());
        if (f == null) {
            return false;
        }
        OutboundCall call = claimed.call();
        Instant start = Instant.now();
        CallStart.take(); // nothing a call before this one left on the thread
        DeferredCall sent;
        try {
            sent = f.applyLater(call.args());
        } catch (RuntimeException e) {
            LOG.debug("{} not sent at once ({}); run on a thread", call.function(), e.toString());
            sent = null;
        }
        CallStart began = CallStart.take();
        if (sent == null) {
            return false;
        }
        long timeoutMs = Math.min(call.timeoutMs(), sent.limit().toMillis());
        watch(calls.calls().get(0), claimed, slot, sent, timeoutMs, began, start);
        return true;
    }

    private DeferredFunction deferred(String tenant, String function) {
        try {
            return functions.apply(tenant, function).orElse(null) instanceof DeferredFunction d ? d : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void watch(LeaseKeeper.Held held, CallInbox.ClaimedCall claimed, CallAdmission.Slot slot,
                       DeferredCall sent, long timeoutMs, CallStart began, Instant start) {
        String function = claimed.call().function();
        AtomicBoolean done = new AtomicBoolean();
        ScheduledFuture<?> alarm;
        try {
            alarm = timers.schedule(() -> {
                if (done.compareAndSet(false, true)) {
                    sent.overrun().accept(function + " overran its timeout of " + timeoutMs + " ms");
                    end(held, claimed, slot, BatchOutcome.failure(new TimeoutException(function
                            + " timed out after " + timeoutMs + " ms")), began, start);
                }
            }, timeoutMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            alarm = null; // the worker is closing: the call's claim expires unless its answer settles it first
        }
        ScheduledFuture<?> timer = alarm;
        sent.answer().whenComplete((value, failure) -> {
            if (done.compareAndSet(false, true)) {
                if (timer != null) {
                    timer.cancel(false);
                }
                end(held, claimed, slot, outcome(function, value, failure), began, start);
            }
        });
    }

    private void end(LeaseKeeper.Held held, CallInbox.ClaimedCall claimed, CallAdmission.Slot slot,
                     BatchOutcome outcome, CallStart began, Instant start) {
        try {
            finish.finish(held, claimed, slot, outcome, began, start);
        } catch (RuntimeException | Error e) {
            // On the thread that learned the answer (a host's reader): it must go on reading.
            LOG.error("tenant {}: finishing a call of {}", claimed.call().instance().tenant(),
                    claimed.call().function(), e);
            slot.release(null);
        }
    }

    private static BatchOutcome outcome(String function, Map<String, Object> value, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof Exception e) {
            return BatchOutcome.failure(e);
        }
        if (cause != null) {
            return BatchOutcome.failure(new TransientFailure(ErrorClass.PLATFORM, function + ": " + cause, cause));
        }
        try {
            return BatchOutcome.success(JsonData.copyMap(value == null ? Map.of() : value, "result of " + function));
        } catch (RuntimeException e) {
            return BatchOutcome.failure(e);
        }
    }
}
