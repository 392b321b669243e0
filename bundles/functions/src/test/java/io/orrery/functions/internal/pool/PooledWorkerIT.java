package io.orrery.functions.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orrery.api.engine.CallKind;
import io.orrery.api.engine.CallResult;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.api.engine.OutboundCall;
import io.orrery.api.function.BatchOutcome;
import io.orrery.api.function.ErrorClass;
import io.orrery.api.function.FunctionFailure;
import io.orrery.api.function.OrreryFunction;
import io.orrery.api.function.PoolView;
import io.orrery.api.function.TransientFailure;
import io.orrery.api.queue.Backoff;
import io.orrery.api.queue.QueueId;
import io.orrery.api.queue.QueueSettings;
import io.orrery.api.trace.TraceContext;
import io.orrery.api.trace.TraceSpan;
import io.orrery.api.trace.Tracer;
import io.orrery.cluster.testing.LoopbackMembers;
import io.orrery.emirax.EmiraxCompiler;
import io.orrery.emirax.EmiraxSource;
import io.orrery.engine.internal.EngineCore;
import io.orrery.engine.internal.EngineSettings;
import io.orrery.engine.internal.hazelcast.HazelcastInstanceTable;
import io.orrery.engine.internal.queue.QueueCallPort;
import io.orrery.engine.internal.queue.QueueWaits;
import io.orrery.engine.internal.queue.ResultConsumer;
import io.orrery.functions.internal.worker.FunctionWorker;
import io.orrery.queue.internal.QueueOptions;
import io.orrery.queue.internal.ShardedQueueService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The function worker admitting calls through the pools, on a real Hazelcast member and the real queues. */
class PooledWorkerIT {

    static HazelcastInstance hz;
    static ShardedQueueService queues;
    static QueueCallPort port;

    final Map<String, Long> startedAt = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    final List<CallResult> results = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        hz = new LoopbackMembers("orrery-pools", 1).start(0); // the product's member configuration
        queues = ShardedQueueService.start(hz, QueueOptions.DEFAULTS.withPersistence(QueueOptions.Persistence.NONE),
                new SimpleMeterRegistry(), null);
        port = new QueueCallPort(queues, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        queues.close();
        hz.getLifecycleService().terminate();
    }

    /** A function whose work takes {@code millis}; it records when each call started and how often it ran. */
    OrreryFunction working(String name, long millis) {
        return new OrreryFunction() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Map<String, Object> apply(Map<String, Object> args) throws Exception {
                String id = (String) args.get("id");
                startedAt.putIfAbsent(id, System.nanoTime());
                runs.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                Thread.sleep(millis); // the work itself
                return Map.of("id", id);
            }
        };
    }

    static OutboundCall call(String tenant, String function, String id, long timeoutMs, int maxAttempts) {
        return new OutboundCall(new InstanceId(tenant, "wf", id), "c", "rule", CallKind.FUNCTION, function,
                Map.of("id", id), null, 5, timeoutMs, maxAttempts, null, 0, null);
    }

    FunctionWorker worker(PoolTree pools, OrreryFunction... functions) {
        Map<String, OrreryFunction> byName = new ConcurrentHashMap<>();
        for (OrreryFunction f : functions) {
            byName.put(f.name(), f);
        }
        return new FunctionWorker(port, (tenant, name) -> Optional.ofNullable(byName.get(name)), results::addAll,
                2, 8, new Backoff(Duration.ofMillis(50), Duration.ofMillis(200)), "pools-it", () -> pools);
    }

    static PoolView view(PoolTree pools, String name) {
        return pools.pools().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aFloodOfOneTenantsCallsDoesNotDelayTheTenantReservingTwoOfFourSlotsBeyondOneCallsDuration() {
        long callMillis = 800;
        PoolTree pools = new PoolTree(PoolPlan.parse(Map.of("pool.root.max", "4", "pool.first.parent", "root",
                "pool.first.reserved", "2", "pool.flood.parent", "root", "tenant.pools1a", "first",
                "tenant.pools1b", "flood")), PoolEvents.NONE);
        try (var worker = worker(pools, working("work", callMillis))) {
            for (int i = 0; i < 40; i++) {
                port.dispatch(List.of(call("pools1b", "work", "b" + i, 30_000, 1)));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> view(pools, "flood").inUse() == 4);
            for (int i = 0; i < 4; i++) {
                String id = "a" + i;
                long sent = System.nanoTime();
                port.dispatch(List.of(call("pools1a", "work", id, 30_000, 1)));
                await().atMost(Duration.ofSeconds(10)).until(() -> startedAt.containsKey(id));
                long delayMillis = (startedAt.get(id) - sent) / 1_000_000;
                assertThat(delayMillis).as("delay of %s", id).isLessThan(callMillis + 200);
                assertThat(view(pools, "flood").waiting()).as("the flood goes on").isPositive();
            }
            assertThat(view(pools, "root").inUse()).isEqualTo(4);
        }
    }

    @Test
    void aCallWaitingForASlotLongerThanItsLeaseKeepsItsClaimAndRunsOnce() {
        String tenant = "pools2";
        queues.configure(QueueId.of(tenant, QueueCallPort.FUNCTIONS),
                QueueSettings.DEFAULTS.withLeaseTime(Duration.ofMillis(600)));
        PoolTree pools = new PoolTree(PoolPlan.parse(Map.of("pool.root.max", "1")), PoolEvents.NONE);
        try (var worker = worker(pools, working("slow", 1500))) {
            port.dispatch(List.of(call(tenant, "slow", "s1", 30_000, 1), call(tenant, "slow", "s2", 30_000, 1)));
            await().atMost(Duration.ofSeconds(15)).until(() -> results.size() == 2);
            assertThat(runs.get("s1")).hasValue(1);
            assertThat(runs.get("s2")).hasValue(1);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> queues.stats(QueueId.of(tenant, QueueCallPort.FUNCTIONS)).depth() == 0);
        }
    }

    @Test
    void callsWaitingInTheQueueRunAsMicroBatchesOfTheConfiguredSizeAndTheSizesAreMeasured() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PoolTree pools = new PoolTree(PoolPlan.parse(Map.of("pool.root.max", "2", "batch.stamp", "8")),
                new PoolMeters(registry));
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        OrreryFunction stamp = new OrreryFunction() {
            @Override
            public String name() {
                return "stamp";
            }

            @Override
            public Map<String, Object> apply(Map<String, Object> args) {
                return Map.of("id", args.get("id"));
            }

            @Override
            public List<BatchOutcome> applyBatch(List<Map<String, Object>> calls) {
                sizes.add(calls.size());
                return OrreryFunction.super.applyBatch(calls);
            }
        };
        for (int i = 0; i < 40; i++) {
            port.dispatch(List.of(call("pools4", "stamp", "s" + i, 30_000, 1)));
        }
        try (var worker = worker(pools, stamp)) {
            await().atMost(Duration.ofSeconds(15)).until(() -> results.size() == 40);
        }
        assertThat(results).allSatisfy(r -> assertThat(r.failed()).isFalse());
        assertThat(sizes).allSatisfy(n -> assertThat(n).isBetween(2, 8)).contains(8);
        var summary = registry.get("orrery.function.batch.size").tags("tenant", "pools4", "function", "stamp")
                .summary();
        assertThat(summary.max()).isEqualTo(8);
        assertThat(summary.totalAmount()).isEqualTo(40);
    }

    @Test
    void failedAttemptsAreCountedByClassAndRetriedThroughTheQueueUntilTheyAreSpent() {
        FunctionCounts counts = new FunctionCounts();
        PoolTree pools = new PoolTree(PoolPlan.parse(Map.of("pool.root.max", "2")), counts);
        AtomicInteger flaky = new AtomicInteger();
        OrreryFunction f = new OrreryFunction() {
            @Override
            public String name() {
                return "mixed";
            }

            @Override
            public Map<String, Object> apply(Map<String, Object> args) throws Exception {
                switch ((String) args.get("id")) {
                    case "bad" -> throw new FunctionFailure("no such source");
                    case "flaky" -> {
                        if (flaky.incrementAndGet() == 1) {
                            throw new TransientFailure("busy");
                        }
                        return Map.of("ok", true);
                    }
                    case "slow" -> Thread.sleep(5_000);
                    default -> throw new IllegalStateException("bug");
                }
                return Map.of();
            }
        };
        try (var worker = worker(pools, f)) {
            port.dispatch(List.of(call("pools3", "mixed", "bad", 30_000, 3), call("pools3", "mixed", "flaky", 30_000, 3),
                    call("pools3", "mixed", "slow", 200, 1), call("pools3", "mixed", "buggy", 30_000, 2)));
            await().atMost(Duration.ofSeconds(15)).until(() -> results.size() == 4);
        }
        Map<String, CallResult> byKey = new ConcurrentHashMap<>();
        results.forEach(r -> byKey.put(r.instance().key(), r));
        assertThat(byKey.get("bad").error()).isEqualTo("no such source");
        assertThat(byKey.get("bad").attempts()).isEqualTo(1); // final at once
        assertThat(byKey.get("flaky").failed()).isFalse();
        assertThat(byKey.get("flaky").attempts()).isEqualTo(2); // retried through the queue's delayed nack
        assertThat(byKey.get("slow").error()).contains("timed out after 200 ms");
        assertThat(byKey.get("buggy").error()).isEqualTo("bug (after 2 attempts)");
        assertThat(counts.invocations("pools3", "mixed")).isEqualTo(6);
        assertThat(counts.failures("pools3", "mixed")).containsEntry(ErrorClass.USER, 3L)
                .containsEntry(ErrorClass.TRANSIENT, 1L).containsEntry(ErrorClass.TIMEOUT, 1L)
                .containsEntry(ErrorClass.PLATFORM, 0L);
        assertThat(view(pools, "root").inUse()).isZero();
    }

    static final String SLOW = """
            workflow('slow') {
                rule('run') { match { !state.done }; action { call 'slow', [:] }
                              reaction { r -> state.done = true; state.reactions = (state.reactions ?: 0) + 1 } }
            }
            """;

    @Test
    void aCallThatRunsLongerThanItsLeaseRunsOnceItsClaimExtendedWhileItRuns() {
        String tenant = "port4";
        queues.configure(QueueId.of(tenant, QueueCallPort.FUNCTIONS),
                io.orrery.api.queue.QueueSettings.DEFAULTS.withLeaseTime(Duration.ofMillis(600)));
        var runs = new java.util.concurrent.atomic.AtomicInteger();
        io.orrery.api.function.OrreryFunction slow = new io.orrery.api.function.OrreryFunction() {
            @Override
            public String name() {
                return "slow";
            }

            @Override
            public Map<String, Object> apply(Map<String, Object> args) throws Exception {
                runs.incrementAndGet();
                Thread.sleep(1500); // the work itself: longer than two leases
                return Map.of();
            }
        };
        var table = new HazelcastInstanceTable(hz);
        try (var engine = new EngineCore(EngineSettings.defaults().withLanes(2), table, port, null,
                Clock.systemUTC());
             var results = new ResultConsumer(queues, engine, 1, 64);
             var worker = new FunctionWorker(port, (t, n) -> Optional.of(slow), port::sendResults, 2, 1,
                     Backoff.defaults())) {
            engine.deploy(tenant, new EmiraxCompiler().compile(List.of(new EmiraxSource("slow.groovy", SLOW)))
                    .load(getClass().getClassLoader()));
            var id = new InstanceId(tenant, "slow", "k");
            engine.submit(InstanceRequest.of(tenant, "slow", "k", Map.of()));
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> engine.find(id).orElseThrow().state().containsKey("done"));
            assertThat(runs).hasValue(1);
            assertThat(engine.find(id).orElseThrow().state()).containsEntry("reactions", 1);
        }
    }

    /**
     * A call's span nests under its wait in the queue, both in the call's trace: the worker records it under the
     * queue wait the engine's port measured when the call was claimed.
     */
    @Test
    void aCallsSpanNestsUnderItsQueueWaitInItsTrace() {
        record Span(String name, TraceContext parent, TraceContext self) {
        }
        List<Span> spans = new CopyOnWriteArrayList<>();
        Tracer recorder = new Tracer() {
            @Override
            public TraceSpan start(String name, String tenant, TraceContext parent) {
                throw new AssertionError("queue waits and calls record their spans whole");
            }

            @Override
            public TraceContext record(String name, String tenant, TraceContext parent, Instant start, Instant end,
                                       Map<String, String> attributes) {
                TraceContext self = parent.child();
                spans.add(new Span(name, parent, self));
                return self;
            }
        };
        var traced = new QueueCallPort(queues, Clock.systemUTC());
        traced.traced(new QueueWaits(() -> recorder, Clock.systemUTC()));
        TraceContext firing = TraceContext.newTrace();
        OutboundCall c = call("pools-traced", "work", "t1", 30_000, 1);
        traced.dispatch(List.of(new OutboundCall(c.instance(), c.callId(), c.rule(), c.kind(), c.function(), c.args(),
                c.key(), c.priority(), c.timeoutMs(), c.maxAttempts(), c.exclusive(), c.delayMs(), firing.traceId(),
                firing.spanId())));
        OrreryFunction work = working("work", 0);
        try (var w = new FunctionWorker(traced, (t, n) -> Optional.of(work), results::addAll, 1, 1,
                Backoff.defaults())) {
            w.tracer(() -> recorder);
            await().atMost(Duration.ofSeconds(10)).until(() -> spans.stream().anyMatch(s -> s.name().equals(
                    "function work")));
        }
        Span wait = spans.stream().filter(s -> s.name().startsWith(QueueWaits.PREFIX)).findFirst().orElseThrow();
        Span call = spans.stream().filter(s -> s.name().equals("function work")).findFirst().orElseThrow();
        assertThat(wait.parent()).isEqualTo(firing);
        assertThat(call.parent()).isEqualTo(wait.self());
    }
}
