package io.orrery.engine.internal;

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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A plain worker: claims calls, runs the named function (a Java service or an Emirax {@code function} block) under
 * the call's timeout, and delivers the result. A failed attempt is retried with exponential backoff and jitter until
 * the call's attempts are spent; then, or at once for a {@link FunctionFailure}, the failure is delivered and the
 * rule's error handler runs. The functions subsystem grows resource pools, warm capacity and batching on this.
 */
public final class FunctionWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FunctionWorker.class);

    private final CallInbox inbox;
    private final BiFunction<String, String, Optional<OrreryFunction>> functions;
    private final Consumer<List<CallResult>> results;
    private final Backoff backoff;
    private final ExecutorService claimers;
    private final ExecutorService runners;
    private final int batch;
    private volatile boolean running = true;

    /**
     * @param functions (tenant, name) to the function
     * @param results   where settled calls go, a claimed batch at a time (the engine, or the results queue)
     */
    public FunctionWorker(CallInbox inbox, BiFunction<String, String, Optional<OrreryFunction>> functions,
                          Consumer<List<CallResult>> results, int threads, int batch, Backoff backoff) {
        this.inbox = inbox;
        this.functions = functions;
        this.results = results;
        this.backoff = backoff;
        this.batch = batch;
        this.claimers = Executors.newFixedThreadPool(threads, daemon("orrery-worker-"));
        this.runners = Executors.newCachedThreadPool(daemon("orrery-function-"));
        for (int i = 0; i < threads; i++) {
            claimers.execute(this::loop);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        var n = new java.util.concurrent.atomic.AtomicInteger();
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
     * after delivery, so a crash in between redelivers rather than loses them.
     */
    public void runAll(List<CallInbox.ClaimedCall> claimed) {
        List<CallResult> settled = new ArrayList<>(claimed.size());
        List<CallInbox.ClaimedCall> done = new ArrayList<>(claimed.size());
        for (CallInbox.ClaimedCall c : claimed) {
            CallResult r = run(c);
            if (r != null) {
                settled.add(r);
                done.add(c);
            }
        }
        if (!settled.isEmpty()) {
            results.accept(settled);
            inbox.completeAll(done);
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
        OrreryFunction f = functions.apply(call.instance().tenant(), call.function()).orElseThrow(() ->
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

    @Override
    public void close() {
        running = false;
        claimers.shutdownNow();
        runners.shutdownNow();
    }
}
