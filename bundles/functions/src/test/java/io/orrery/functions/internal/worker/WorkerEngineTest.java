package io.orrery.functions.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orrery.api.engine.FiringKind;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.api.engine.InstanceStatus;
import io.orrery.api.engine.WorkflowModule;
import io.orrery.api.function.OrreryFunction;
import io.orrery.api.queue.Backoff;
import io.orrery.emirax.EmiraxCompiler;
import io.orrery.emirax.EmiraxSource;
import io.orrery.engine.internal.EngineCore;
import io.orrery.engine.internal.EngineSettings;
import io.orrery.engine.internal.MemoryCallPort;
import io.orrery.engine.internal.MemoryInstanceTable;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The worker under a real engine core (in memory): retries into the rule's error handler, late functions. */
class WorkerEngineTest {

    static final String COUNTING = """
            workflow('count') {
                rule('ask') {
                    match    { !state.answer }
                    action   { call 'answer', [q: key] }
                    reaction { r -> state.answer = r.a; state.reactions = (state.reactions ?: 0) + 1 }
                }
            }
            """;

    static WorkflowModule module(String text) {
        return new EmiraxCompiler().compile(List.of(new EmiraxSource("test.groovy", text)))
                .load(WorkerEngineTest.class.getClassLoader());
    }

    @Test
    void theWorkerRetriesWithBackoffThenDeliversTheFailureToTheErrorHandler() {
        var port = new MemoryCallPort(Clock.systemUTC());
        AtomicInteger attempts = new AtomicInteger();
        try (var engine = new EngineCore(EngineSettings.defaults().withLanes(1), new MemoryInstanceTable(), port, null,
                Clock.systemUTC());
             var worker = new FunctionWorker(port, (t, n) -> Optional.of(function("flaky", a -> {
                 if (attempts.incrementAndGet() < 3) {
                     throw new IllegalStateException("flaky " + attempts.get());
                 }
                 return Map.of("ok", true);
             })), rs -> rs.forEach(engine::deliver), 1, 1, new Backoff(Duration.ofMillis(10), Duration.ofMillis(50)))) {
            engine.deploy("t", module("""
                    workflow('w') {
                        rule('once') {
                            match    { !state.done }
                            action   { call 'flaky', [:], retries: input.retries }
                            reaction { r -> state.done = r.ok }
                            error    { e, call -> state.done = 'gave up: ' + e.message }
                        }
                    }
                    """));
            engine.submit(InstanceRequest.of("t", "w", "ok", Map.of("retries", 2)));
            await().atMost(Duration.ofSeconds(5)).until(() -> engine.find(new InstanceId("t", "w", "ok")).orElseThrow()
                    .state().get("done") != null);
            assertThat(engine.find(new InstanceId("t", "w", "ok")).orElseThrow().state()).containsEntry("done", true);

            attempts.set(-10);
            engine.submit(InstanceRequest.of("t", "w", "bad", Map.of("retries", 1)));
            await().atMost(Duration.ofSeconds(5)).until(() -> engine.find(new InstanceId("t", "w", "bad")).orElseThrow()
                    .state().get("done") != null);
            assertThat(engine.find(new InstanceId("t", "w", "bad")).orElseThrow().state().get("done").toString())
                    .isEqualTo("gave up: function flaky failed: flaky -8 (after 2 attempts)");
        }
    }

    @Test
    void aCallClaimedBeforeItsFunctionIsPublishedWaitsForItWithoutSpendingAnAttempt() {
        var port = new MemoryCallPort(Clock.systemUTC());
        var published = new java.util.concurrent.atomic.AtomicReference<OrreryFunction>();
        var lookups = new AtomicInteger();
        try (var engine = new EngineCore(EngineSettings.defaults().withLanes(1), new MemoryInstanceTable(), port, null,
                Clock.systemUTC());
             var worker = new FunctionWorker(port, (t, n) -> {
                 lookups.incrementAndGet();
                 return Optional.ofNullable(published.get());
             },
                     rs -> rs.forEach(engine::deliver), 1, 1, new Backoff(Duration.ofMillis(10), Duration.ofMillis(50)))) {
            engine.deploy("t", module(COUNTING));
            engine.submit(InstanceRequest.of("t", "count", "early", Map.of()));
            await().atMost(Duration.ofSeconds(5)).until(() -> lookups.get() >= 3); // the claimed call waits for it

            published.set(function("answer", a -> Map.of("a", a.get("q"))));

            await().atMost(Duration.ofSeconds(10)).until(() -> engine.find(new InstanceId("t", "count", "early"))
                    .orElseThrow().state().get("answer") != null);
            var view = engine.find(new InstanceId("t", "count", "early")).orElseThrow();
            assertThat(view.state()).isEqualTo(Map.of("answer", "early", "reactions", 1));
            assertThat(view.status()).isEqualTo(InstanceStatus.IDLE);
            assertThat(view.recentFirings()).filteredOn(f -> f.kind() == FiringKind.ERROR).isEmpty();
        }
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
