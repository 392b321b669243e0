package io.orrery.functions.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orrery.api.engine.CallKind;
import io.orrery.api.engine.CallResult;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.OutboundCall;
import io.orrery.api.function.BatchOutcome;
import io.orrery.api.function.CallAdmission;
import io.orrery.api.function.CallInbox;
import io.orrery.api.function.CallStart;
import io.orrery.api.function.CallTicket;
import io.orrery.api.function.FunctionFailure;
import io.orrery.api.function.OrreryFunction;
import io.orrery.api.function.TransientFailure;
import io.orrery.api.queue.Backoff;
import io.orrery.api.trace.TraceContext;
import io.orrery.api.trace.TraceSpan;
import io.orrery.api.trace.Tracer;
import io.orrery.engine.internal.MemoryCallPort;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The worker's micro-batches: which calls run together, and how each call of a batch is settled on its own. */
class MicroBatchTest {

    final MemoryCallPort port = new MemoryCallPort(Clock.systemUTC());
    final List<CallResult> results = new CopyOnWriteArrayList<>();
    final List<Integer> batches = new CopyOnWriteArrayList<>();
    final List<String> batchTenants = new CopyOnWriteArrayList<>();
    final AtomicInteger applied = new AtomicInteger();

    /** A function declaring {@code size} whose batch records its size and answers each call by its outcome. */
    OrreryFunction batching(int size, Function<Map<String, Object>, BatchOutcome> each) {
        return new OrreryFunction() {
            @Override
            public String name() {
                return "stamp";
            }

            @Override
            public int batchSize() {
                return size;
            }

            @Override
            public Map<String, Object> apply(Map<String, Object> args) throws Exception {
                applied.incrementAndGet();
                BatchOutcome o = each.apply(args);
                if (o.failed()) {
                    throw o.error();
                }
                return o.value();
            }

            @Override
            public List<BatchOutcome> applyBatch(List<Map<String, Object>> calls) {
                batches.add(calls.size());
                calls.stream().map(a -> (String) a.get("tenant")).distinct().forEach(batchTenants::add);
                List<BatchOutcome> out = new ArrayList<>();
                calls.forEach(a -> out.add(each.apply(a)));
                return out;
            }
        };
    }

    static BatchOutcome echo(Map<String, Object> args) {
        return BatchOutcome.success(Map.of("id", args.get("id")));
    }

    static OutboundCall call(String tenant, String id, long timeoutMs, int maxAttempts) {
        return new OutboundCall(new InstanceId(tenant, "wf", id), "c", "rule", CallKind.FUNCTION, "stamp",
                Map.of("id", id, "tenant", tenant), null, 5, timeoutMs, maxAttempts, null, 0,
                "0af7651916cd43dd8448eb211c80319c");
    }

    FunctionWorker worker(OrreryFunction f, CallAdmission admission) {
        return new FunctionWorker(port, (t, n) -> Optional.of(f), results::addAll, 1, 64,
                new Backoff(Duration.ofMillis(20), Duration.ofMillis(50)), "batch-test", () -> admission);
    }

    FunctionWorker worker(CallInbox inbox, OrreryFunction f, CallAdmission admission) {
        return new FunctionWorker(inbox, (t, n) -> Optional.of(f), results::addAll, 1, 64,
                new Backoff(Duration.ofMillis(20), Duration.ofMillis(50)), "batch-test", () -> admission);
    }

    /** Fixed slots, of which the first {@code failing} requests fail, as pools being replaced may. */
    static CallAdmission failingRequests(int failing, CallAdmission slots) {
        AtomicInteger left = new AtomicInteger(failing);
        return new CallAdmission() {
            @Override
            public int room() {
                return slots.room();
            }

            @Override
            public Set<String> owedTenants() {
                return Set.of();
            }

            @Override
            public Waiting request(CallTicket ticket, Consumer<Slot> start) {
                if (left.getAndDecrement() > 0) {
                    throw new IllegalStateException("pools being replaced");
                }
                return slots.request(ticket, start);
            }
        };
    }

    CallResult result(String key) {
        return results.stream().filter(r -> r.instance().key().equals(key)).findFirst().orElseThrow();
    }

    @Test
    void waitingCallsOfOneFunctionRunAsBatchesOfItsDeclaredSizeAndTenantsNeverShareOne() {
        for (int i = 0; i < 40; i++) {
            port.dispatch(List.of(call("acme", "a" + i, 10_000, 1)));
        }
        for (int i = 0; i < 3; i++) {
            port.dispatch(List.of(call("beta", "b" + i, 10_000, 1)));
        }
        try (var w = worker(batching(16, MicroBatchTest::echo), new FixedSlots(1, 64))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> results.size() == 43);
        }
        assertThat(batches).containsExactly(16, 16, 8, 3);
        assertThat(batchTenants).containsExactly("acme", "acme", "acme", "beta");
        assertThat(applied).hasValue(0);
        for (int i = 0; i < 40; i++) {
            assertThat(result("a" + i).failed()).isFalse();
            assertThat(result("a" + i).result()).containsEntry("id", "a" + i);
        }
    }

    @Test
    void theConfiguredBatchSizeOverridesTheDeclaredOne() {
        for (int i = 0; i < 10; i++) {
            port.dispatch(List.of(call("acme", "a" + i, 10_000, 1)));
        }
        CallAdmission fixed = new FixedSlots(1, 64);
        CallAdmission configured = new CallAdmission() {
            @Override
            public int room() {
                return fixed.room();
            }

            @Override
            public Set<String> owedTenants() {
                return Set.of();
            }

            @Override
            public int batchSize(String tenant, String function) {
                return 4;
            }

            @Override
            public Waiting request(CallTicket ticket, Consumer<Slot> start) {
                return fixed.request(ticket, start);
            }
        };
        try (var w = worker(batching(16, MicroBatchTest::echo), configured)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> results.size() == 10);
        }
        assertThat(batches).containsExactly(4, 4, 2);
    }

    @Test
    void oneFailingCallOfABatchFailsOnlyItselfAndARetriedOneRunsAgainAlone() {
        AtomicInteger flaky = new AtomicInteger();
        var f = batching(8, args -> switch ((String) args.get("id")) {
            case "bad" -> BatchOutcome.failure(new FunctionFailure("bad input"));
            case "flaky" -> flaky.incrementAndGet() == 1 ? BatchOutcome.failure(new TransientFailure("busy"))
                    : echo(args);
            default -> echo(args);
        });
        port.dispatch(List.of(call("acme", "ok1", 10_000, 3), call("acme", "bad", 10_000, 3),
                call("acme", "flaky", 10_000, 3), call("acme", "ok2", 10_000, 3)));
        try (var w = worker(f, new FixedSlots(1, 64))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> results.size() == 4);
        }
        assertThat(batches).containsExactly(4);
        assertThat(result("bad").error()).isEqualTo("bad input");
        assertThat(result("bad").attempts()).isEqualTo(1);
        assertThat(result("flaky").failed()).isFalse();
        assertThat(result("flaky").attempts()).isEqualTo(2);
        assertThat(applied).as("the retried call ran alone, through apply").hasValue(1);
        assertThat(result("ok1").result()).containsEntry("id", "ok1");
        assertThat(result("ok2").result()).containsEntry("id", "ok2");
    }

    @Test
    void eachCallOfABatchGetsASpanWithItsAttemptPoolBatchSizeAndErrorClass() {
        Map<String, Map<String, String>> spans = new ConcurrentHashMap<>();
        Tracer recording = new Tracer() {
            @Override
            public TraceSpan start(String name, String tenant, TraceContext parent) {
                throw new AssertionError("calls record their spans whole");
            }

            @Override
            public TraceContext record(String name, String tenant, TraceContext parent, Instant start, Instant end,
                                       Map<String, String> attributes) {
                assertThat(name).isEqualTo("function stamp");
                assertThat(tenant).isEqualTo("acme");
                assertThat(parent.traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
                assertThat(end).isAfterOrEqualTo(start);
                spans.put(attributes.get("orrery.key"), attributes);
                return parent.child();
            }
        };
        var f = batching(8, args -> "bad".equals(args.get("id"))
                ? BatchOutcome.failure(new FunctionFailure("bad input")) : echo(args));
        try (var w = worker(f, new FixedSlots(1, 64))) {
            w.tracer(() -> recording);
            port.dispatch(List.of(call("acme", "ok", 10_000, 1), call("acme", "bad", 10_000, 1)));
            await().atMost(Duration.ofSeconds(5)).until(() -> spans.size() == 2);
        }
        assertThat(spans.get("ok")).containsEntry("orrery.attempt", "1").containsEntry("orrery.pool", "fixed")
                .containsEntry("orrery.batch.size", "2").containsEntry("orrery.function", "stamp")
                .containsEntry("orrery.start", "in-server").doesNotContainKey("orrery.error.class");
        assertThat(spans.get("bad")).containsEntry("orrery.error.class", "user");
    }

    /** A hosted function reports a cold start on the thread that ran it; the next call on that thread starts clean. */
    @Test
    void aCallsSpanSaysWhetherItBeganColdAndTheNextCallDoesNotInheritIt() {
        CallSpanLog spans = new CallSpanLog();
        var f = batching(1, args -> {
            if ("first".equals(args.get("id"))) {
                CallStart.report(CallStart.COLD);
            }
            return echo(args);
        });
        try (var w = worker(f, new FixedSlots(1, 1))) {
            w.tracer(() -> spans);
            port.dispatch(List.of(call("acme", "first", 10_000, 1)));
            await().atMost(Duration.ofSeconds(5)).until(() -> spans.size() == 1);
            port.dispatch(List.of(call("acme", "second", 10_000, 1)));
            await().atMost(Duration.ofSeconds(5)).until(() -> spans.size() == 2);
        }
        assertThat(spans.attribute("first", "orrery.start")).isEqualTo("cold");
        assertThat(spans.attribute("second", "orrery.start")).isEqualTo("in-server");
    }

    @Test
    void aBatchOverrunningTheShortestTimeoutOfItsCallsFailsThemAll() {
        Map<String, Boolean> interrupted = new ConcurrentHashMap<>();
        var f = batching(8, args -> {
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                interrupted.put((String) args.get("id"), true);
                Thread.currentThread().interrupt();
            }
            return echo(args);
        });
        port.dispatch(List.of(call("acme", "long", 10_000, 1), call("acme", "short", 300, 1)));
        try (var w = worker(f, new FixedSlots(1, 64))) {
            await().atMost(Duration.ofSeconds(4)).until(() -> results.size() == 2);
        }
        assertThat(result("long").error()).contains("stamp (a batch of 2) timed out after 300 ms");
        assertThat(result("short").error()).contains("timed out after 300 ms");
        assertThat(interrupted).containsKey("long");
    }

    @Test
    void aBatchAnsweringTheWrongNumberOfOutcomesFailsEveryCallAsThePlatformsFault() {
        OrreryFunction f = new OrreryFunction() {
            @Override
            public String name() {
                return "stamp";
            }

            @Override
            public int batchSize() {
                return 8;
            }

            @Override
            public Map<String, Object> apply(Map<String, Object> args) {
                return Map.of();
            }

            @Override
            public List<BatchOutcome> applyBatch(List<Map<String, Object>> calls) {
                return List.of(BatchOutcome.success(Map.of()));
            }
        };
        port.dispatch(List.of(call("acme", "x", 10_000, 1), call("acme", "y", 10_000, 1)));
        try (var w = worker(f, new FixedSlots(1, 64))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> results.size() == 2);
        }
        assertThat(result("x").error()).contains("answered 1 outcomes for a batch of 2");
        assertThat(result("y").failed()).isTrue();
    }

    @Test
    void aCallOfABatchItsQueueFailsToTakeBackRunsAgainOnceItsClaimExpiresAndTheOthersAreDelivered() {
        LeasedInbox inbox = new LeasedInbox(Duration.ofSeconds(1));
        AtomicInteger flaky = new AtomicInteger();
        var f = batching(3, args -> "flaky".equals(args.get("id")) && flaky.incrementAndGet() == 1
                ? BatchOutcome.failure(new TransientFailure("busy")) : echo(args));
        inbox.add(call("acme", "flaky", 10_000, 3));
        inbox.add(call("acme", "ok1", 10_000, 3));
        inbox.add(call("acme", "ok2", 10_000, 3));
        inbox.failNacks(1);
        try (var w = worker(inbox, f, new FixedSlots(1, 64))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> results.size() == 3 && inbox.outstanding() == 0);
        }
        assertThat(batches).containsExactly(3);
        assertThat(applied).as("the failed call ran again alone, once its claim expired").hasValue(1);
        assertThat(result("ok1").result()).containsEntry("id", "ok1");
        assertThat(result("ok2").result()).containsEntry("id", "ok2");
        assertThat(result("flaky").failed()).isFalse();
        assertThat(result("flaky").attempts()).isEqualTo(2);
        assertThat(inbox.expired).as("only the call not taken back outlived its lease").hasValue(1);
    }

    @Test
    void aBatchThePoolsFailToTakeRunsAgainOnceItsClaimsExpireAndTheBatchesClaimedWithItRunAtOnce() {
        LeasedInbox inbox = new LeasedInbox(Duration.ofSeconds(1));
        for (int i = 0; i < 3; i++) {
            inbox.add(call("acme", "a" + i, 10_000, 3));
        }
        try (var w = worker(inbox, batching(1, MicroBatchTest::echo), failingRequests(1, new FixedSlots(1, 64)))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> results.size() == 3 && inbox.outstanding() == 0);
        }
        assertThat(result("a0").attempts()).as("delivered again after its lease").isEqualTo(2);
        assertThat(result("a1").attempts()).isEqualTo(1);
        assertThat(result("a2").attempts()).isEqualTo(1);
        assertThat(inbox.expired).hasValue(1);
    }

    /** A platform function sent from the slot's thread may fail with an Error there (its bundle refreshed, say). */
    @Test
    void aBatchThatCannotStartGivesItsSlotBackAndRunsAgainOnceItsClaimExpires() {
        LeasedInbox inbox = new LeasedInbox(Duration.ofSeconds(1));
        AtomicInteger sends = new AtomicInteger();
        class UnloadedOnce implements OrreryFunction, DeferredFunction {
            @Override
            public String name() {
                return "stamp";
            }

            @Override
            public Map<String, Object> apply(Map<String, Object> args) {
                return Map.of("id", args.get("id"));
            }

            @Override
            public DeferredCall applyLater(Map<String, Object> args) {
                if (sends.incrementAndGet() == 1) {
                    throw new NoClassDefFoundError("io/orrery/functions/internal/host/HostStream");
                }
                return null; // run on a thread of the worker's
            }
        }
        inbox.add(call("acme", "a0", 10_000, 3));
        inbox.add(call("acme", "a1", 10_000, 3));
        try (var w = worker(inbox, new UnloadedOnce(), new FixedSlots(1, 64))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> results.size() == 2 && inbox.outstanding() == 0);
        }
        assertThat(result("a0").attempts()).as("delivered again after its lease").isEqualTo(2);
        assertThat(result("a1").attempts()).as("started in the slot given back").isEqualTo(1);
    }
}
