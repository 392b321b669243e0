package io.orrery.functions.internal.osgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orrery.api.engine.CallKind;
import io.orrery.api.engine.CallResult;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.OutboundCall;
import io.orrery.api.function.CallPort;
import io.orrery.api.function.OrreryFunction;
import io.orrery.engine.internal.MemoryCallPort;
import java.lang.annotation.Annotation;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The worker follows the engine's port: none without it, one on it, none again once it goes. */
class WorkerComponentTest {

    final MemoryCallPort calls = new MemoryCallPort(Clock.systemUTC());
    final List<CallResult> delivered = new CopyOnWriteArrayList<>();

    @Test
    void runsCallsOnlyWhileTheEnginePublishesItsPortAndTakesModuleFunctionsFirst() {
        var component = new WorkerComponent();
        var port = port();
        component.activate(config(1));
        dispatch("c1", "echo");
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(delivered::isEmpty);
        assertThat(calls.waiting()).isEqualTo(1); // no port: nobody claims

        component.bindPort(port);
        await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 1);
        assertThat(delivered.get(0).result()).containsEntry("by", "module");

        component.unbindPort(port);
        dispatch("c2", "echo");
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> delivered.size() == 1);
        assertThat(calls.waiting()).isEqualTo(1);

        component.bindPort(port);
        await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 2);
        component.deactivate();
    }

    @Test
    void noWorkerWhenConfiguredWithNoThreads() {
        var component = new WorkerComponent();
        component.activate(config(0));
        component.bindPort(port());
        dispatch("c1", "echo");
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(delivered::isEmpty);
        component.deactivate();
    }

    private void dispatch(String id, String function) {
        calls.dispatch(List.of(new OutboundCall(new InstanceId("acme", "w", "k"), id, "r", CallKind.FUNCTION,
                function, Map.of(), null, 0, 5_000, 1, null, 0, null)));
    }

    private CallPort port() {
        return new CallPort() {
            @Override
            public List<ClaimedCall> claim(int max, Duration wait) throws InterruptedException {
                return calls.claim(max, wait);
            }

            @Override
            public void complete(ClaimedCall call) {
                calls.complete(call);
            }

            @Override
            public void retryLater(ClaimedCall call, Duration delay, String reason) {
                calls.retryLater(call, delay, reason);
            }

            @Override
            public void deliver(List<CallResult> results) {
                delivered.addAll(results);
            }

            @Override
            public Optional<OrreryFunction> moduleFunction(String tenant, String name) {
                return Optional.of(new OrreryFunction() {
                    @Override
                    public String name() {
                        return name;
                    }

                    @Override
                    public Map<String, Object> apply(Map<String, Object> args) {
                        return Map.of("by", "module");
                    }
                });
            }

            @Override
            public String node() {
                return "worker-component-test";
            }
        };
    }

    private static WorkerComponent.Config config(int threads) {
        return new WorkerComponent.Config() {
            @Override
            public int workerThreads() {
                return threads;
            }

            @Override
            public int workerBatch() {
                return 4;
            }

            @Override
            public long claimLingerMicros() {
                return 0;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return WorkerComponent.Config.class;
            }
        };
    }
}
