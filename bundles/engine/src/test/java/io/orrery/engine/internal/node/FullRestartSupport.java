package io.orrery.engine.internal.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.api.engine.InstanceStatus;
import io.orrery.api.engine.InstanceView;
import io.orrery.store.JdbcStore;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A whole cluster stops with instances part way (each with a call pending that no worker took) and a new cluster
 * starts on the same store: the first engine reads the instances back, sends their pending calls again (the old
 * queues are gone: the queues here are not persisted, so only the engine's re-dispatch can bring them back) and
 * every instance finishes, timer included.
 */
abstract class FullRestartSupport {

    static final String RESTART = """
            workflow('restart') {
                rule('one')   { match { !state.one };                action { call 'step', [n: 1] }
                                reaction { r -> state.one = r.n } }
                rule('pause') { match { state.one && !state.paused }; action { after '100ms' }
                                reaction { r -> state.paused = r.firedAt > 0 } }
                rule('done')  { match { state.paused && !state.done }; action { call 'step', [n: 2] }
                                reaction { r -> state.done = true; complete(output: [sum: state.one + r.n]) } }
            }
            """;

    /** Opens the store; each call must reach the same database. */
    abstract JdbcStore openStore();

    @Test
    void instancesComeBackAfterAFullRestartAndFinish() throws Exception {
        int n = 30;
        var module = TestCluster.compile(RESTART);
        try (JdbcStore store = openStore()) {
            // First cluster: no function worker, so every instance stops with its first call pending.
            try (var first = new TestCluster(2).withoutWorkers().start(store, false, TestCluster.options(),
                    fn -> Optional.empty())) {
                first.deployEverywhere("acme", module);
                for (int i = 0; i < n; i++) {
                    first.nodes.get(i % 2).engine().submit(InstanceRequest.of("acme", "restart", "k" + i, Map.of()));
                }
                var engine = first.nodes.get(0).engine();
                assertThat(engine.list("acme", "restart", InstanceStatus.ACTIVE, 0, n)).hasSize(n);
                for (EngineNode node : first.nodes) {
                    node.journal().flush();
                }
            } // every member stops: Hazelcast keeps nothing

            try (var second = new TestCluster(2).start(store, false, TestCluster.options(),
                    fn -> Optional.of(TestCluster.function(fn, args -> Map.of("n", args.get("n")))))) {
                assertThat(second.nodes.stream().mapToLong(EngineNode::restored).max().orElse(-1)).isEqualTo(n);
                second.deployEverywhere("acme", module);
                var engine = second.nodes.get(1).engine();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(engine.list("acme", "restart",
                        null, 0, n)).allSatisfy(v -> assertThat(v.completed()).as(v.toString()).isTrue()));
                for (int i = 0; i < n; i++) {
                    InstanceView v = engine.find(new InstanceId("acme", "restart", "k" + i)).orElseThrow();
                    assertThat(v.output()).containsEntry("sum", 3);
                    assertThat(v.state()).containsEntry("paused", true);
                }
            }
        }
    }
}
