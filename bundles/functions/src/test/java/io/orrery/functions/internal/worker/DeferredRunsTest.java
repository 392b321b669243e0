package io.orrery.functions.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orrery.api.engine.CallKind;
import io.orrery.api.engine.CallResult;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.OutboundCall;
import io.orrery.api.function.BatchOutcome;
import io.orrery.api.function.CallAdmission;
import io.orrery.api.function.CallTicket;
import io.orrery.api.function.CallStart;
import io.orrery.api.function.ErrorClass;
import io.orrery.api.function.OrreryFunction;
import io.orrery.api.function.TransientFailure;
import io.orrery.api.queue.Backoff;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Calls of a function that answers later ({@link DeferredFunction}): sent by the thread that got the slot, finished
 * by the thread that answers, timed out once, and run through {@code apply} when they cannot be sent at once.
 */
class DeferredRunsTest {

    /** A function whose calls are answered by the test, from whatever thread it likes. */
    static final class Later implements OrreryFunction, DeferredFunction {

        record Sent(Map<String, Object> args, CompletableFuture<Map<String, Object>> answer, String thread,
                    List<String> overruns) {
        }

        final BlockingQueue<Sent> sent = new LinkedBlockingQueue<>();
        final AtomicInteger applied = new AtomicInteger();
        final AtomicInteger batches = new AtomicInteger();
        volatile boolean refuse;

        @Override
        public String name() {
            return "later";
        }

        @Override
        public Map<String, Object> apply(Map<String, Object> args) {
            applied.incrementAndGet();
            return Map.of("applied", args.get("n"));
        }

        @Override
        public List<BatchOutcome> applyBatch(List<Map<String, Object>> calls) {
            batches.incrementAndGet();
            return calls.stream().map(a -> BatchOutcome.success(Map.of("batched", a.get("n")))).toList();
        }

        @Override
        public DeferredCall applyLater(Map<String, Object> args) {
            if (refuse) {
                return null;
            }
            CallStart.report(CallStart.WARM);
            List<String> overruns = new CopyOnWriteArrayList<>();
            Sent s = new Sent(args, new CompletableFuture<>(), Thread.currentThread().getName(), overruns);
            sent.add(s);
            return new DeferredCall(s.answer(), Duration.ofMinutes(5), overruns::add);
        }

        Sent next() throws InterruptedException {
            Sent s = sent.poll(10, TimeUnit.SECONDS);
            assertThat(s).as("a call sent").isNotNull();
            return s;
        }
    }

    final Later later = new Later();
    final QueuedInbox inbox = new QueuedInbox();
    final List<CallResult> results = new CopyOnWriteArrayList<>();
    /** The slots of the last worker made, of which 64 calls may wait. */
    volatile FixedSlots fixed;

    private FunctionWorker worker(int slots, int batch) {
        FixedSlots fixed = new FixedSlots(slots, 64);
        this.fixed = fixed;
        CallAdmission admission = new CallAdmission() {
            @Override
            public int room() {
                return fixed.room();
            }

            @Override
            public Set<String> owedTenants() {
                return fixed.owedTenants();
            }

            @Override
            public int batchSize(String tenant, String function) {
                return batch;
            }

            @Override
            public Waiting request(CallTicket ticket, Consumer<Slot> start) {
                return fixed.request(ticket, start);
            }
        };
        return new FunctionWorker(inbox, (t, n) -> Optional.of(later), results::addAll, 1, 16, Backoff.defaults(),
                "deferred-test", () -> admission);
    }

    private static OutboundCall call(int n, long timeoutMs, int attempts) {
        return new OutboundCall(new InstanceId("acme", "wf", "k" + n), "c" + n, "rule", CallKind.FUNCTION, "later",
                Map.of("n", n), null, 5, timeoutMs, attempts, null, 0, "0af7651916cd43dd8448eb211c80319c");
    }

    private CallResult result(int n) {
        return results.stream().filter(r -> r.instance().key().equals("k" + n)).findFirst().orElseThrow();
    }

    @Test
    void callsAreSentWithoutAThreadEachAndTheAnsweringThreadStartsTheSlotsNextCall() throws Exception {
        try (var w = worker(2, 0)) {
            for (int i = 0; i < 3; i++) {
                inbox.add(call(i, 60_000, 1));
            }
            Later.Sent first = later.next();
            Later.Sent second = later.next();
            assertThat(List.of(first.thread(), second.thread())).as("sent by the claiming thread")
                    .allMatch(t -> t.startsWith("orrery-worker-"));
            assertThat(later.sent).as("the third waits for a slot").isEmpty();
            await().atMost(Duration.ofSeconds(10)).until(() -> fixed.room() == 63); // claimed, waiting for it

            Thread answering = new Thread(() -> first.answer().complete(Map.of("v", first.args().get("n"))),
                    "host-reader");
            answering.start();
            answering.join();
            Later.Sent third = later.next();
            assertThat(third.thread()).as("the freed slot's next call is sent by the answering thread")
                    .isEqualTo("host-reader");
            second.answer().complete(Map.of("v", second.args().get("n")));
            third.answer().complete(Map.of("v", third.args().get("n")));
            await().atMost(Duration.ofSeconds(10)).until(() -> results.size() == 3);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(result(i).failed()).isFalse();
            assertThat(result(i).result()).isEqualTo(Map.of("v", i));
        }
        assertThat(later.applied).hasValue(0);
    }

    @Test
    void aCallPastItsTimeoutIsEndedOnceFailsAsATimeoutAndItsLateAnswerIsIgnored() throws Exception {
        try (var w = worker(1, 0)) {
            inbox.add(call(1, 150, 1));
            Later.Sent slow = later.next();
            await().atMost(Duration.ofSeconds(10)).until(() -> results.size() == 1);
            assertThat(slow.overruns()).containsExactly("later overran its timeout of 150 ms");
            assertThat(result(1).error()).contains("later timed out after 150 ms");

            slow.answer().complete(Map.of("late", true));
            inbox.add(call(2, 60_000, 1));
            later.next().answer().complete(Map.of("v", 2));
            await().atMost(Duration.ofSeconds(10)).until(() -> results.size() == 2);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> results.size() == 2);
            assertThat(slow.overruns()).as("ended once").hasSize(1);
        }
        assertThat(result(2).result()).isEqualTo(Map.of("v", 2));
    }

    @Test
    void aFailedAnswerIsRetriedAsAnyFailedAttemptIsAndItsClassCounts() throws Exception {
        try (var w = worker(1, 0)) {
            inbox.add(call(1, 60_000, 3));
            later.next().answer().completeExceptionally(new TransientFailure(ErrorClass.PLATFORM, "host died", null));
            Later.Sent retry = later.next();
            retry.answer().complete(Map.of("v", 1));
            await().atMost(Duration.ofSeconds(10)).until(() -> results.size() == 1);
        }
        assertThat(result(1).failed()).isFalse();
        assertThat(result(1).attempts()).isEqualTo(2);
    }

    @Test
    void aCallThatCannotBeSentNowRunsThroughApplyAndBatchesThroughApplyBatch() throws Exception {
        later.refuse = true;
        try (var w = worker(1, 0)) {
            inbox.add(call(1, 60_000, 1));
            await().atMost(Duration.ofSeconds(10)).until(() -> results.size() == 1);
        }
        assertThat(result(1).result()).isEqualTo(Map.of("applied", 1));

        later.refuse = false;
        results.clear();
        for (int i = 0; i < 4; i++) {
            inbox.add(call(i, 60_000, 1)); // all waiting before the worker starts: one claim takes the four
        }
        try (var w = worker(1, 4)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> results.size() == 4);
        }
        assertThat(later.sent).isEmpty();
        assertThat(results).allMatch(r -> r.result().containsKey("batched"));
    }

    @Test
    void howADeferredCallBeganReachesItsSpanAndNothingOfItStaysOnTheSendingThread() throws Exception {
        CallSpanLog spans = new CallSpanLog();
        AtomicBoolean leftOver = new AtomicBoolean();
        try (var w = worker(1, 0)) {
            w.tracer(() -> spans);
            inbox.add(call(1, 60_000, 1));
            Later.Sent s = later.next();
            Thread answering = new Thread(() -> {
                s.answer().complete(Map.of());
                leftOver.set(CallStart.take() != CallStart.IN_SERVER);
            });
            answering.start();
            answering.join();
            await().atMost(Duration.ofSeconds(10)).until(() -> spans.size() == 1);
        }
        assertThat(spans.attribute("k1", "orrery.start")).isEqualTo("warm");
        assertThat(leftOver).isFalse();
    }
}
