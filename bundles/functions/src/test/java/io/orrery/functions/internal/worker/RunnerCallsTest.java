package io.orrery.functions.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orrery.api.engine.CallKind;
import io.orrery.api.engine.CallResult;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.OutboundCall;
import io.orrery.api.function.CallStart;
import io.orrery.api.function.OrreryFunction;
import io.orrery.api.queue.Backoff;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Lone calls of a function that does not end on interrupt: run on one runner thread that settles the call itself,
 * with no second thread waiting for it, and still ended at their timeout when the function ignores its interrupt.
 */
class RunnerCallsTest {

    /** Blocks each call until the test lets it go, ignoring interrupts; reports a cold start. */
    static final class Held implements OrreryFunction {
        final CountDownLatch running = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> threads = new CopyOnWriteArrayList<>();
        final AtomicBoolean interrupted = new AtomicBoolean();

        @Override
        public String name() {
            return "held";
        }

        @Override
        public Map<String, Object> apply(Map<String, Object> args) {
            threads.add(Thread.currentThread().getName());
            CallStart.report(CallStart.COLD);
            running.countDown();
            if (((Number) args.get("n")).intValue() == 1) {
                while (true) {
                    try {
                        if (release.await(10, TimeUnit.SECONDS)) {
                            break;
                        }
                    } catch (InterruptedException e) {
                        interrupted.set(true); // ignored: this function does not end on interrupt
                    }
                }
            }
            return Map.of("n", args.get("n"));
        }
    }

    final Held held = new Held();
    final QueuedInbox inbox = new QueuedInbox();
    final List<CallResult> results = new CopyOnWriteArrayList<>();

    private FunctionWorker worker(int slots) {
        return new FunctionWorker(inbox, (t, n) -> Optional.of(held), results::addAll, slots, 16, Backoff.defaults());
    }

    private static OutboundCall call(int n, long timeoutMs) {
        return new OutboundCall(new InstanceId("acme", "wf", "k" + n), "c" + n, "rule", CallKind.FUNCTION, "held",
                Map.of("n", n), null, 5, timeoutMs, 1, null, 0, "0af7651916cd43dd8448eb211c80319c");
    }

    private CallResult result(int n) {
        return results.stream().filter(r -> r.instance().key().equals("k" + n)).findFirst().orElseThrow();
    }

    /** Threads whose stack is in the worker's code that waits on a running call. */
    private static List<String> waitingForACall() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().equals(
                        FunctionInvocation.class.getName())))
                .map(e -> e.getKey().getName()).toList();
    }

    @Test
    void aLoneCallRunsOnOneThreadAndNoOtherThreadWaitsForIt() throws Exception {
        CallSpanLog spans = new CallSpanLog();
        try (var w = worker(1)) {
            w.tracer(() -> spans);
            inbox.add(call(1, 60_000));
            assertThat(held.running.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(held.threads).singleElement().asString().startsWith("orrery-function-");
            assertThat(waitingForACall()).as("threads waiting on the running call").isEmpty();
            held.release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> results.size() == 1 && spans.size() == 1);
        }
        assertThat(result(1).result()).isEqualTo(Map.of("n", 1));
        assertThat(spans.attribute("k1", "orrery.start")).as("reported on the runner, read by its span")
                .isEqualTo("cold");
    }

    @Test
    void aCallIgnoringItsInterruptIsSettledAtItsTimeoutItsSlotFreedAndItsLateAnswerDropped() throws Exception {
        try (var w = worker(1)) {
            inbox.add(call(1, 200));
            await().atMost(Duration.ofSeconds(10)).until(() -> results.size() == 1);
            assertThat(result(1).error()).contains("timed out after 200 ms");
            assertThat(held.interrupted).as("the runner was interrupted at the timeout").isTrue();

            inbox.add(call(2, 60_000)); // the one slot is free while the first call still runs
            await().atMost(Duration.ofSeconds(10)).until(() -> results.size() == 2);
            assertThat(result(2).result()).isEqualTo(Map.of("n", 2));

            held.release.countDown();
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> results.size() == 2);
        }
        assertThat(result(1).error()).as("the late answer did not replace the timeout").contains("timed out");
    }

    @Test
    void aTimeoutLongerThanTheAlarmQueuesKeepAliveStillEndsTheCallOnTime() throws Exception {
        try (var w = worker(1)) {
            long t0 = System.nanoTime();
            inbox.add(call(1, 1_500));
            await().atMost(Duration.ofSeconds(10)).until(() -> results.size() == 1);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(result(1).error()).contains("timed out after 1500 ms");
            assertThat(ms).as("ended at its timeout, not a keep-alive tick later").isBetween(1_500L, 2_400L);
            held.release.countDown();
        }
    }
}
