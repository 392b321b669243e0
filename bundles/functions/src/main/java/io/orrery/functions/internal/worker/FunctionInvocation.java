package io.orrery.functions.internal.worker;

import io.orrery.api.engine.JsonData;
import io.orrery.api.engine.OutboundCall;
import io.orrery.api.function.BatchOutcome;
import io.orrery.api.function.CallInbox;
import io.orrery.api.function.CallStart;
import io.orrery.api.function.ErrorClass;
import io.orrery.api.function.OrreryFunction;
import io.orrery.api.function.TransientFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;

/**
 * Applies a batch of claimed calls to their function on a thread of the worker's, under the calls' timeout: waits
 * for a function not yet published, runs a lone call through {@link OrreryFunction#apply} and several through one
 * {@link OrreryFunction#applyBatch}, and copies what the function answered into plain JSON data, so nothing of the
 * tenant's objects outlives the call.
 */
final class FunctionInvocation {

    /** How long a call waits for its function to be published before the attempt counts as failed. */
    static final Duration FUNCTION_ARRIVAL = Duration.ofSeconds(30);

    private final BiFunction<String, String, Optional<OrreryFunction>> functions;
    private final ExecutorService runners;
    private final InterruptAlarm alarm;
    private final BooleanSupplier running;

    /**
     * @param functions (tenant, name) to the function
     * @param runners   the threads functions run on
     * @param alarm     interrupts a function that ends on interrupt when it outlives its timeout
     * @param running   false once the worker closes: a function still missing is waited for no longer
     */
    FunctionInvocation(BiFunction<String, String, Optional<OrreryFunction>> functions, ExecutorService runners,
                       InterruptAlarm alarm, BooleanSupplier running) {
        this.functions = functions;
        this.runners = runners;
        this.alarm = alarm;
        this.running = running;
    }

    /**
     * One outcome per call, in order: a lone call through {@link OrreryFunction#apply}, several through one
     * {@link OrreryFunction#applyBatch} under the shortest of their timeouts. Throws what fails them all. How the
     * call began (a hosted function's warm or cold start) goes to {@code began}.
     */
    List<BatchOutcome> invoke(String function, List<CallInbox.ClaimedCall> claims,
                                      AtomicReference<CallStart> began) throws Exception {
        OutboundCall first = claims.get(0).call();
        OrreryFunction f = awaitFunction(first.instance().tenant(), function).orElseThrow(() ->
                new TransientFailure(ErrorClass.PLATFORM, "no function named " + function + " for tenant "
                        + first.instance().tenant(), null));
        if (claims.size() == 1) {
            Map<String, Object> out = within(f, first.timeoutMs(), function, began, () -> f.apply(first.args()));
            return List.of(BatchOutcome.success(JsonData.copyMap(out, "result of " + function)));
        }
        long timeoutMs = claims.stream().mapToLong(c -> c.call().timeoutMs()).min().orElseThrow();
        List<Map<String, Object>> args = claims.stream().map(c -> c.call().args()).toList();
        List<BatchOutcome> outcomes = within(f, timeoutMs, function + " (a batch of " + claims.size() + ")", began,
                () -> f.applyBatch(args));
        if (outcomes == null || outcomes.size() != claims.size()) {
            throw new TransientFailure(ErrorClass.PLATFORM, function + " answered " + (outcomes == null ? "nothing"
                    : outcomes.size() + " outcomes") + " for a batch of " + claims.size(), null);
        }
        List<BatchOutcome> copied = new ArrayList<>(outcomes.size());
        for (BatchOutcome o : outcomes) {
            copied.add(copied(function, o));
        }
        return copied;
    }

    private static BatchOutcome copied(String function, BatchOutcome o) {
        if (o == null) {
            return BatchOutcome.failure(new TransientFailure(ErrorClass.PLATFORM, function
                    + " answered no outcome for a call of its batch", null));
        }
        if (o.failed()) {
            return o;
        }
        try {
            return BatchOutcome.success(JsonData.copyMap(o.value() == null ? Map.of() : o.value(),
                    "result of " + function));
        } catch (RuntimeException e) {
            return BatchOutcome.failure(e);
        }
    }

    /**
     * Runs the work on a runner thread, interrupting it when it outlives the timeout (on this thread under an
     * {@link InterruptAlarm} for a function that ends on interrupt); how the call began, as the function reported it
     * on the thread that ran it, goes to {@code began}.
     */
    private <T> T within(OrreryFunction f, long timeoutMs, String what, AtomicReference<CallStart> began,
                         Callable<T> work) throws Exception {
        Callable<T> reporting = () -> {
            CallStart.take(); // nothing a call before this one left on the thread
            try {
                return work.call();
            } finally {
                began.set(CallStart.take());
            }
        };
        if (endsOnInterrupt(f)) {
            return alarm.run(timeoutMs, what, reporting);
        }
        Future<T> attempt = runners.submit(reporting);
        try {
            return attempt.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            attempt.cancel(true);
            throw new TimeoutException(what + " timed out after " + timeoutMs + " ms");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static boolean endsOnInterrupt(OrreryFunction f) {
        try {
            return f.endsOnInterrupt();
        } catch (RuntimeException e) {
            return false;
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
        while (f.isEmpty() && running.getAsBoolean() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(100);
            f = functions.apply(tenant, name);
        }
        return f;
    }
}
