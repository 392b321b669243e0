package io.orrery.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orrery.api.engine.CallResult;
import io.orrery.api.engine.EngineStoppedException;
import io.orrery.api.engine.FiringKind;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.api.engine.InstanceStatus;
import io.orrery.api.engine.OutboundCall;
import io.orrery.api.engine.WorkflowModule;
import io.orrery.api.function.OrreryFunction;
import io.orrery.emirax.EmiraxCompiler;
import io.orrery.emirax.EmiraxSource;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class EngineCoreTest {

    static final String COUNTING = """
            workflow('count') {
                rule('ask') {
                    match    { !state.answer }
                    action   { call 'answer', [q: key] }
                    reaction { r -> state.answer = r.a; state.reactions = (state.reactions ?: 0) + 1 }
                }
                rule('hang') {
                    match    { if (input.hang) { while (true) { } }; false }
                    action   { }
                }
            }
            """;

    static WorkflowModule module(String text) {
        return new EmiraxCompiler().compile(List.of(new EmiraxSource("test.groovy", text)))
                .load(EngineCoreTest.class.getClassLoader());
    }

    @Test
    void aResultDeliveredTwiceIsAppliedOnce() throws Exception {
        var port = new MemoryCallPort(Clock.systemUTC());
        try (var engine = new EngineCore(EngineSettings.defaults().withLanes(0), new MemoryInstanceTable(), port,
                null, Clock.systemUTC())) {
            engine.deploy("t", module(COUNTING));
            engine.submit(InstanceRequest.of("t", "count", "k", Map.of()));
            var claimed = port.claim(10, Duration.ZERO);
            assertThat(claimed).hasSize(1);
            OutboundCall call = claimed.get(0).call();
            var result = CallResult.success(call.instance(), call.callId(), Map.of("a", 42), 1);
            engine.deliver(result);
            engine.deliver(result);
            engine.deliver(CallResult.failure(call.instance(), call.callId(), "late failure", 3));
            var view = engine.find(new InstanceId("t", "count", "k")).orElseThrow();
            assertThat(view.state()).isEqualTo(Map.of("answer", 42, "reactions", 1));
            assertThat(view.status()).isEqualTo(InstanceStatus.IDLE);
            assertThat(view.recentFirings()).filteredOn(f -> f.kind() == FiringKind.REACTION).hasSize(1);
            assertThat(engine.metrics().registry().counter("orrery.engine.results.duplicate").count()).isEqualTo(2);
        }
    }

    @Test
    void onLanesARunawayMatchFailsOnlyItsInstanceAndTheWorkerCompletesTheOthers() {
        var port = new MemoryCallPort(Clock.systemUTC());
        var settings = EngineSettings.defaults().withLanes(2).withSectionTimeLimit(Duration.ofMillis(150));
        try (var engine = new EngineCore(settings, new MemoryInstanceTable(), port, null, Clock.systemUTC());
             var worker = new TestWorker(port, (t, n) -> Optional.of(function("answer", a -> Map.of("a", a.get("q")))),
                     rs -> rs.forEach(engine::deliver), 2, 16, "core-test")) {
            engine.deploy("t", module(COUNTING));
            engine.submit(InstanceRequest.of("t", "count", "warm", Map.of("hang", false))); // class loading, call sites
            long t0 = System.nanoTime();
            var stuck = engine.submit(InstanceRequest.of("t", "count", "stuck", Map.of("hang", true)));
            assertThat(stuck.status()).isEqualTo(InstanceStatus.FAILED);
            assertThat(stuck.failure()).contains("rule 'hang' match ran over its time limit of 150 ms");
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1000);
            for (int i = 0; i < 20; i++) {
                engine.submit(InstanceRequest.of("t", "count", "k" + i, Map.of()));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.list("t", "count", InstanceStatus.IDLE, 0, 100)
                    .size() == 21);
            assertThat(engine.find(new InstanceId("t", "count", "k7")).orElseThrow().state()).containsEntry("answer", "k7");
        }
    }

    @Test
    void anEngineStoppedWhileARuleRunsDoesNotFailTheInstanceForOverrunningItsTimeLimit() throws Exception {
        var port = new MemoryCallPort(Clock.systemUTC());
        var table = new MemoryInstanceTable();
        var settings = EngineSettings.defaults().withLanes(1).withSectionTimeLimit(Duration.ofMinutes(5));
        var engine = new EngineCore(settings, table, port, null, Clock.systemUTC());
        engine.deploy("t", module(COUNTING));
        engine.submit(InstanceRequest.of("t", "count", "k", Map.of("hang", false)));
        var submitted = CompletableFuture.supplyAsync(() ->
                engine.submit(InstanceRequest.of("t", "count", "k", Map.of("hang", true))));
        await().atMost(Duration.ofSeconds(10)).until(EngineCoreTest::aLaneRunsTenantCode);

        engine.close();     // interrupts the lanes: the rule's section is cut short by the stop, not by its limit

        // The evaluation is abandoned, not saved: the instance stays as it was, to be evaluated again.
        assertThat(submitted).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                .withRootCauseInstanceOf(EngineStoppedException.class);
        InstanceRecord stored = table.load(new InstanceId("t", "count", "k"));
        assertThat(stored.status).isNotEqualTo(InstanceStatus.FAILED);
        assertThat(stored.failure).isNull();
    }

    /** Whether a lane thread is inside a rule's section (under the guard), running. */
    private static boolean aLaneRunsTenantCode() {
        return Thread.getAllStackTraces().entrySet().stream().anyMatch(t -> t.getKey().getState() == Thread.State.RUNNABLE
                && Arrays.stream(t.getValue()).anyMatch(frame -> frame.getMethodName().equals("run")
                        && frame.getClassName().equals(TenantCodeGuard.class.getName())));
    }

    @Test
    void aResultForAWorkflowNotDeployedIsKeptAndAppliedWhenItIsDeployedAgain() throws Exception {
        var port = new MemoryCallPort(Clock.systemUTC());
        var table = new MemoryInstanceTable();
        try (var engine = new EngineCore(EngineSettings.defaults().withLanes(0), table, port, null, Clock.systemUTC())) {
            engine.deploy("t", module(COUNTING));
            engine.submit(InstanceRequest.of("t", "count", "k", Map.of()));
            OutboundCall call = port.claim(10, Duration.ZERO).get(0).call();
            engine.undeploy("t", List.of("count"));
            engine.deliver(CallResult.success(call.instance(), call.callId(), Map.of("a", 7), 1));
            var id = new InstanceId("t", "count", "k");
            assertThat(table.load(id).parked).hasSize(1);
            assertThat(engine.find(id).orElseThrow().state()).isEmpty();

            engine.deploy("t", module(COUNTING));
            var view = engine.find(id).orElseThrow();
            assertThat(view.state()).isEqualTo(Map.of("answer", 7, "reactions", 1));
            assertThat(view.status()).isEqualTo(InstanceStatus.IDLE);
            assertThat(table.load(id).parked).isEmpty();
        }
    }

    @Test
    void concurrentUpdatesOfOneInstanceAreNotLost() {
        var table = new MemoryInstanceTable();
        var rec = new InstanceRecord();
        rec.tenant = "t";
        rec.workflow = "w";
        rec.key = "k";
        assertThat(table.insert(rec)).isTrue();
        InstanceRecord a = table.load(rec.id());
        InstanceRecord b = table.load(rec.id());
        a.state.put("x", 1);
        b.state.put("y", 2);
        assertThat(table.replace(a, a.revision)).isTrue();
        assertThat(table.replace(b, b.revision)).isFalse();
        assertThat(table.load(rec.id()).state).isEqualTo(Map.of("x", 1));
    }

    static OrreryFunction function(String name, java.util.function.Function<Map<String, Object>, Map<String, Object>> f) {
        return new OrreryFunction() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Map<String, Object> apply(Map<String, Object> args) {
                return f.apply(args);
            }
        };
    }
}
