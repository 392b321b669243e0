package io.orrery.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orrery.api.engine.CallResult;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.api.engine.InstanceStatus;
import io.orrery.api.engine.InstanceView;
import io.orrery.api.engine.OutboundCall;
import io.orrery.api.fault.CrashPoints;
import io.orrery.api.fault.SimulatedCrash;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Windows found by reading the engine core, each shown open and then closed, in memory. */
class EngineWindowsTest {

    static final String ASK = """
            workflow('ask') {
                rule('ask') { match { !state.answer }; action { call 'answer', [q: key] }
                              reaction { r -> state.answer = r.a; state.reactions = (state.reactions ?: 0) + 1 } }
            }
            """;

    static EngineCore engine(InstanceTable table, CallDispatch dispatch) {
        return new EngineCore(EngineSettings.defaults().withLanes(0), table, dispatch, null, Clock.systemUTC());
    }

    @Test
    void aResultWhoseSaveFailsIsNotReportedAsDelivered() throws Exception {
        var port = new MemoryCallPort(Clock.systemUTC());
        var table = new FailingSaves(new MemoryInstanceTable(), 1);
        try (var engine = engine(table, port)) {
            engine.deploy("t", EngineCoreTest.module(ASK));
            engine.submit(InstanceRequest.of("t", "ask", "k", Map.of()));
            OutboundCall call = port.claim(1, Duration.ZERO).get(0).call();
            var result = CallResult.success(call.instance(), call.callId(), Map.of("a", 1), 1);

            // The results queue acknowledges what this future reports as applied: a failed save must not be.
            var first = engine.deliverAndWait(result);
            assertThat(first).isCompletedExceptionally();
            engine.deliverAndWait(result).join(); // offered again, as the queue redelivers it
            InstanceView v = engine.find(call.instance()).orElseThrow();
            assertThat(v.state()).containsEntry("reactions", 1);
            assertThat(v.status()).isEqualTo(InstanceStatus.IDLE);
        }
    }

    @Test
    void callsTheQueueRefusedAreSentAgainWithoutARestart() {
        List<OutboundCall> sent = new CopyOnWriteArrayList<>();
        AtomicInteger refusals = new AtomicInteger(2);
        CallDispatch flaky = calls -> {
            if (refusals.getAndDecrement() > 0) {
                throw new IllegalStateException("queue unavailable");
            }
            sent.addAll(calls);
        };
        try (var engine = engine(new MemoryInstanceTable(), flaky)) {
            engine.deploy("t", EngineCoreTest.module(ASK));
            engine.submit(InstanceRequest.of("t", "ask", "k", Map.of()));
            await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 1);
            assertThat(sent.get(0).function()).isEqualTo("answer");
        }
    }

    @Test
    void aRuleOfHigherSalienceWokenByAFiringGoesBeforeRulesOfLowerSalience() {
        try (var engine = engine(new MemoryInstanceTable(), new MemoryCallPort(Clock.systemUTC()))) {
            engine.deploy("t", EngineCoreTest.module("""
                    workflow('sal') {
                        rule('high', salience: 10) { match { state.b && !state.high }
                                                     action { state.high = true; state.order = (state.order ?: []) + ['high'] } }
                        rule('setB', salience: 1)  { match { !state.b }; action { state.b = true } }
                        rule('low')                { match { state.b && !state.low }
                                                     action { state.low = true; state.order = (state.order ?: []) + ['low'] } }
                    }
                    """));
            InstanceView v = engine.submit(InstanceRequest.of("t", "sal", "k", Map.of()));
            assertThat(v.state().get("order")).isEqualTo(List.of("high", "low"));
        }
    }

    @Test
    void stateThatHoldsItselfFailsTheInstanceNamingTheCycle() {
        try (var engine = engine(new MemoryInstanceTable(), new MemoryCallPort(Clock.systemUTC()))) {
            engine.deploy("t", EngineCoreTest.module("""
                    workflow('cyc') {
                        rule('loop') { match { !state.a }; action { state.a = [n: 1]; state.a.self = state.a } }
                    }
                    """));
            InstanceView v = engine.submit(InstanceRequest.of("t", "cyc", "k", Map.of()));
            assertThat(v.status()).isEqualTo(InstanceStatus.FAILED);
            assertThat(v.failure()).contains("state.a.self").contains("holds itself (a cycle)");
            assertThat(v.state()).doesNotContainKey("a");
        }
    }

    @Test
    void nestedFactsCannotBeChangedBehindTheEnginesBack() {
        try (var engine = engine(new MemoryInstanceTable(), new MemoryCallPort(Clock.systemUTC()))) {
            engine.deploy("t", EngineCoreTest.module("""
                    workflow('nest') {
                        input { optional 'opts', Map, [:]; optional 'sneak', Boolean, false; optional 'peek', Boolean, false }
                        rule('sneak') { match { input.sneak && !state.done }; action { input.opts.codec = 'x'; state.done = true } }
                        rule('init')  { match { !state.list }; action { state.list = [1] } }
                        rule('peek')  { match { if (input.peek) { state.list << 9 }; false }; action { } }
                    }
                    """));
            InstanceView sneak = engine.submit(InstanceRequest.of("t", "nest", "a",
                    Map.of("sneak", true, "opts", Map.of("codec", "h264"))));
            assertThat(sneak.status()).isEqualTo(InstanceStatus.FAILED);
            assertThat(sneak.failure()).contains("input is read-only");
            assertThat(sneak.input()).containsEntry("opts", Map.of("codec", "h264"));

            engine.submit(InstanceRequest.of("t", "nest", "b", Map.of()));
            InstanceView peek = engine.submit(InstanceRequest.of("t", "nest", "b", Map.of("peek", true)));
            assertThat(peek.status()).isEqualTo(InstanceStatus.FAILED);
            assertThat(peek.failure()).contains("state is read-only in a match");
        }
    }

    static String versioned(int version, boolean withA) {
        return "workflow('re') {\n version " + version + "\n"
                + (withA ? "  rule('a') { match { state.x == 2 && !state.a }; action { state.a = true } }\n" : "")
                + "  rule('x') { match { input.x && state.x != input.x }; action { state.x = input.x } }\n}\n";
    }

    @Test
    void aRuleRemovedAndAddedBackUnchangedIsEvaluatedAgain() {
        try (var engine = engine(new MemoryInstanceTable(), new MemoryCallPort(Clock.systemUTC()))) {
            var id = new InstanceId("t", "re", "k");
            engine.deploy("t", EngineCoreTest.module(versioned(1, true)));
            engine.submit(InstanceRequest.of("t", "re", "k", Map.of("x", 1)));
            engine.deploy("t", EngineCoreTest.module(versioned(2, false)));
            engine.submit(InstanceRequest.of("t", "re", "k", Map.of("x", 2)));
            assertThat(engine.find(id).orElseThrow().state()).isEqualTo(Map.of("x", 2));

            engine.deploy("t", EngineCoreTest.module(versioned(3, true)));
            assertThat(engine.find(id).orElseThrow().state()).containsEntry("a", true);
        }
    }

    static String rolling(int version) {
        return "workflow('roll') {\n version " + version + "\n"
                + "  rule('one') { match { !state.one }; action { call 'f', [:] }; reaction { r -> state.one = true } }\n"
                + (version > 1 ? "  rule('two') { match { state.one && !state.two }; action { call 'g', [:] }\n"
                + "                reaction { r -> state.two = true; state.twos = (state.twos ?: 0) + 1 } }\n" : "")
                + "}\n";
    }

    @Test
    void whileTwoVersionsAreLiveTheOlderNodeNeitherDropsTheNewerRulesResultsNorLetsThemFireAgain() throws Exception {
        var table = new MemoryInstanceTable();
        var port = new MemoryCallPort(Clock.systemUTC());
        try (var oldNode = engine(table, port); var newNode = engine(table, port)) {
            oldNode.deploy("t", EngineCoreTest.module(rolling(1)));
            newNode.deploy("t", EngineCoreTest.module(rolling(2)));
            var id = new InstanceId("t", "roll", "k");
            oldNode.submit(InstanceRequest.of("t", "roll", "k", Map.of()));
            OutboundCall f = port.claim(1, Duration.ZERO).get(0).call();
            newNode.deliverAndWait(CallResult.success(id, f.callId(), Map.of(), 1)).join();
            OutboundCall g = port.claim(1, Duration.ZERO).get(0).call();
            assertThat(g.function()).isEqualTo("g");

            oldNode.deliverAndWait(CallResult.success(id, g.callId(), Map.of(), 1)).join(); // lands on the old node
            newNode.submit(InstanceRequest.of("t", "roll", "k", Map.of("more", 1))); // the next event, on the new one

            List<String> again = new ArrayList<>();
            port.claim(10, Duration.ZERO).forEach(c -> again.add(c.call().function()));
            assertThat(again).as("calls made again").isEmpty();
            InstanceView v = newNode.find(id).orElseThrow();
            assertThat(v.state()).containsEntry("twos", 1);
            assertThat(v.status()).isEqualTo(InstanceStatus.IDLE);
        }
    }

    static final String FAMILY = """
            workflow('kid') {
                input { optional 'n', Integer, 0 }
                rule('w') { match { !state.done }; action { call 'f', [n: input.n] }
                            reaction { r -> state.done = true; complete(output: [n: r.n]) } }
            }
            workflow('par') {
                rule('k') { match { !state.kid }; action { workflow 'kid', [n: 2] }
                            reaction { r -> state.kid = r.n; state.rk = (state.rk ?: 0) + 1; complete(output: [kid: r.n]) } }
            }
            """;

    /** Arms the point to stop the thread that reaches it, once: the node "dies" there. */
    static void dieOnceAt(String point) {
        CrashPoints.arm(point, (p, scope) -> {
            CrashPoints.disarm(p);
            throw new SimulatedCrash(p);
        });
    }

    static void survive(Runnable r) {
        try {
            r.run();
        } catch (SimulatedCrash | CompletionException e) {
            // the node died here
        }
    }

    /** Another node picks up after the crash: it redispatches what the instances still have pending. */
    static EngineCore survivor(MemoryInstanceTable table, MemoryCallPort port, InstanceId... instances) {
        EngineCore b = engine(table, port);
        b.deploy("t", EngineCoreTest.module(FAMILY));
        b.redispatch(java.util.Arrays.stream(instances).map(table::load).toList());
        return b;
    }

    static void answerAll(MemoryCallPort port, EngineCore engine) throws InterruptedException {
        for (var c : port.claim(10, Duration.ZERO)) {
            engine.deliverAndWait(CallResult.success(c.call().instance(), c.call().callId(), Map.of("n", 2), 1)).join();
        }
    }

    @Test
    void aChildNeverStartedBecauseItsNodeDiedAfterTheParentsSaveIsStartedByASurvivor() throws Exception {
        var table = new MemoryInstanceTable();
        var port = new MemoryCallPort(Clock.systemUTC());
        var parent = new InstanceId("t", "par", "k");
        try (EngineCore a = engine(table, port)) {
            a.deploy("t", EngineCoreTest.module(FAMILY));
            dieOnceAt(EngineCrashPoints.SAVED_BEFORE_CHILD_START);
            survive(() -> a.submit(InstanceRequest.of("t", "par", "k", Map.of())));
        } finally {
            CrashPoints.reset();
        }
        assertThat(table.load(new InstanceId("t", "kid", "k"))).as("child").isNull();
        try (EngineCore b = survivor(table, port, parent)) {
            answerAll(port, b);
            InstanceView v = b.find(parent).orElseThrow();
            assertThat(v.output()).isEqualTo(Map.of("kid", 2));
            assertThat(v.state()).containsEntry("rk", 1);
        }
    }

    @Test
    void aParentNotToldBecauseTheChildsNodeDiedAfterItsLastSaveIsToldByASurvivor() throws Exception {
        var table = new MemoryInstanceTable();
        var port = new MemoryCallPort(Clock.systemUTC());
        var parent = new InstanceId("t", "par", "k");
        try (EngineCore a = engine(table, port)) {
            a.deploy("t", EngineCoreTest.module(FAMILY));
            a.submit(InstanceRequest.of("t", "par", "k", Map.of()));
            dieOnceAt(EngineCrashPoints.SAVED_BEFORE_PARENT_NOTIFIED);
            survive(() -> {
                try {
                    answerAll(port, a);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
        } finally {
            CrashPoints.reset();
        }
        assertThat(table.load(new InstanceId("t", "kid", "k")).output).as("child's output").isNotNull();
        assertThat(table.load(parent).status).isEqualTo(InstanceStatus.ACTIVE);
        try (EngineCore b = survivor(table, port, parent)) {
            InstanceView v = b.find(parent).orElseThrow();
            assertThat(v.output()).isEqualTo(Map.of("kid", 2));
            assertThat(v.state()).containsEntry("rk", 1);
            assertThat(table.load(new InstanceId("t", "kid", "k")).waiters).isEmpty();
        }
    }

    @Test
    void aParentThatCouldNotTakeItsChildsResultIsToldAgain() throws Exception {
        var port = new MemoryCallPort(Clock.systemUTC());
        var parent = new InstanceId("t", "par", "k");
        var table = new FailingSaves(new MemoryInstanceTable(), 0, parent);
        try (EngineCore engine = engine(table, port)) {
            engine.deploy("t", EngineCoreTest.module(FAMILY));
            engine.submit(InstanceRequest.of("t", "par", "k", Map.of()));
            table.failNext(2); // the member holding the parent goes while the child's result is applied, twice
            answerAll(port, engine);
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.find(parent).orElseThrow().completed());
            assertThat(engine.find(parent).orElseThrow().state()).containsEntry("rk", 1);
        }
    }

    @Test
    void stoppingTheEngineWhileTenantCodeRunsDoesNotFailTheInstance() throws Exception {
        var id = new InstanceId("t", "count", "stuck");
        var table = new MemoryInstanceTable();
        var settings = EngineSettings.defaults().withLanes(1).withSectionTimeLimit(Duration.ofSeconds(30));
        var engine = new EngineCore(settings, table, new MemoryCallPort(Clock.systemUTC()), null, Clock.systemUTC());
        try {
            engine.deploy("t", EngineCoreTest.module(EngineCoreTest.COUNTING));
            engine.submit(InstanceRequest.of("t", "count", "stuck", Map.of("hang", false)));
            var running = java.util.concurrent.CompletableFuture.runAsync(
                    () -> engine.submit(InstanceRequest.of("t", "count", "stuck", Map.of("hang", true))));
            await().atMost(Duration.ofSeconds(10)).until(EngineWindowsTest::aLaneRunsTenantCode);
            engine.close(); // a configuration change, an update: the lanes stop under the running match
            assertThat(running).failsWithin(Duration.ofSeconds(10));
        } finally {
            engine.close();
        }
        assertThat(table.load(id).status).isNotEqualTo(InstanceStatus.FAILED);
        assertThat(table.load(id).input).doesNotContainEntry("hang", true);
    }

    static boolean aLaneRunsTenantCode() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().startsWith("orrery-engine-lane-"))
                .anyMatch(e -> java.util.Arrays.stream(e.getValue())
                        .anyMatch(f -> f.getClassName().equals(TenantCodeGuard.class.getName())));
    }
}
