package io.orrery.engine.internal;

import io.orrery.api.engine.CallResult;
import io.orrery.api.engine.JsonData;
import io.orrery.api.engine.OutboundCall;
import io.orrery.api.fault.CrashPoints;
import io.orrery.api.function.CallInbox;
import io.orrery.api.function.CallPort;
import io.orrery.api.function.FunctionFailure;
import io.orrery.api.function.OrreryFunction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A plain function worker for tests of the engine alone (the node's own worker lives in {@code orrery-functions},
 * which the engine must not depend on). Each claiming thread runs its calls on the spot, delivers their results,
 * then completes their claims, reaching the worker's crash points in between as the real worker does; a failed
 * attempt is retried after a short delay until the call's attempts are spent, a {@link FunctionFailure} fails at
 * once. No pools, timeouts, batches or lease extension: those are the real worker's, tested beside it.
 */
public final class TestWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TestWorker.class);
    private static final Duration RETRY_DELAY = Duration.ofMillis(20);

    private final CallInbox inbox;
    private final BiFunction<String, String, Optional<OrreryFunction>> functions;
    private final Consumer<List<CallResult>> results;
    private final String node;
    private final int batch;
    private final ExecutorService threads;
    private volatile boolean running = true;

    public TestWorker(CallInbox inbox, BiFunction<String, String, Optional<OrreryFunction>> functions,
                      Consumer<List<CallResult>> results, int threads, int batch, String node) {
        this.inbox = inbox;
        this.functions = functions;
        this.results = results;
        this.node = node;
        this.batch = batch;
        this.threads = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "test-worker-" + node);
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < threads; i++) {
            this.threads.execute(this::loop);
        }
    }

    /** A worker on a node's port: the node's module functions first, then {@code functions}. */
    public static TestWorker on(CallPort port, BiFunction<String, String, Optional<OrreryFunction>> functions,
                                int threads, int batch) {
        return new TestWorker(port, (t, n) -> port.moduleFunction(t, n).or(() -> functions.apply(t, n)),
                port::deliver, threads, batch, port.node());
    }

    private void loop() {
        while (running) {
            try {
                List<CallInbox.ClaimedCall> claimed = inbox.claim(batch, Duration.ofMillis(100));
                List<CallResult> out = new ArrayList<>();
                List<CallInbox.ClaimedCall> done = new ArrayList<>();
                for (CallInbox.ClaimedCall c : claimed) {
                    CallResult r = run(c);
                    if (r != null) {
                        out.add(r);
                        done.add(c);
                    }
                }
                if (!out.isEmpty()) {
                    CrashPoints.reach(CallPort.CALL_RAN_BEFORE_RESULT_SENT, node);
                    results.accept(out);
                    CrashPoints.reach(CallPort.RESULT_SENT_BEFORE_CALL_ACK, node);
                    inbox.completeAll(done);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    // closed while it worked; and surefire's channel out of this test JVM fails a write made on an
                    // interrupted thread, losing the line and the test events beside it
                    return;
                }
                LOG.warn("test worker: {}", e.toString()); // the claims expire and the calls run again
            }
        }
    }

    /** The call's result or final failure; null when it was handed back for a later attempt. */
    private CallResult run(CallInbox.ClaimedCall claimed) {
        OutboundCall call = claimed.call();
        try {
            OrreryFunction f = functions.apply(call.instance().tenant(), call.function()).orElseThrow(() ->
                    new IllegalStateException("no function named " + call.function()));
            Map<String, Object> out = f.apply(call.args());
            return CallResult.success(call.instance(), call.callId(), JsonData.copyMap(out, "result"),
                    claimed.attempt());
        } catch (Exception e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (e instanceof FunctionFailure) {
                return CallResult.failure(call.instance(), call.callId(), reason, claimed.attempt());
            }
            if (claimed.attempt() < call.maxAttempts()) {
                inbox.retryLater(claimed, RETRY_DELAY, reason);
                return null;
            }
            return CallResult.failure(call.instance(), call.callId(),
                    reason + " (after " + claimed.attempt() + " attempts)", claimed.attempt());
        }
    }

    @Override
    public void close() {
        running = false;
        threads.shutdownNow();
    }
}
