package io.orrery.engine.internal.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.api.engine.InstanceView;
import io.orrery.engine.internal.hazelcast.HazelcastInstanceTable;
import io.orrery.engine.internal.store.InstanceRows;
import io.orrery.store.JdbcStore;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A parent hears of its child's completion only once the child's completing save is in the store: otherwise a crash
 * of every member could keep the parent's step on the child's result (written by one member's journal) and lose the
 * child's completion, or the whole child (left unwritten in another's). Journals here write only when told to.
 */
class DurableChildResultIT {

    private static final String WORKFLOWS = """
            workflow('child') {
                rule('done') { match { !state.done }; action { state.done = true; complete(output: [n: 2]) } }
            }
            workflow('parent') {
                rule('kid') { match { !state.kid }; action { workflow 'child', [n: 2] }
                              reaction { r -> state.kid = r.n; complete(output: [kid: r.n]) } }
            }
            """;

    @Test
    void theParentIsToldOnlyAfterTheChildsCompletionIsWritten() throws Exception {
        var parent = new InstanceId("acme", "parent", "p");
        var child = new InstanceId("acme", "child", "p");
        try (JdbcStore store = RestoreIT.h2();
             var cluster = new TestCluster(1).start(store, false, RestoreIT.manualFlush(), fn -> Optional.empty())) {
            cluster.deployEverywhere("acme", TestCluster.compile(WORKFLOWS));
            var engine = cluster.nodes.get(0).engine();
            engine.submit(InstanceRequest.of("acme", "parent", "p", Map.of()));
            engine.awaitSettled(child, Duration.ofSeconds(10)).join();

            // A long-poll answers as soon as the parent settles, or with its state at the end of the wait: told early,
            // the parent would settle within the wait; told only after the write, it cannot.
            InstanceView waiting = engine.awaitSettled(parent, Duration.ofSeconds(2)).join();
            assertThat(waiting.completed()).as("told before the child's completion was written").isFalse();
            assertThat(waiting.pending()).hasSize(1);
            var rows = new InstanceRows(store.dataSource());
            assertThat(rows.revision(HazelcastInstanceTable.key(child)))
                    .isLessThan(cluster.nodes.get(0).map().load(child).revision);

            cluster.nodes.get(0).journal().flush(); // the child's completion reaches the store: now the parent hears
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.find(parent).orElseThrow().completed());
            assertThat(engine.find(parent).orElseThrow().output()).isEqualTo(Map.of("kid", 2));
        }
    }
}
