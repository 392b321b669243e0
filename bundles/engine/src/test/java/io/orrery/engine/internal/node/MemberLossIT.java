package io.orrery.engine.internal.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.api.engine.InstanceStatus;
import io.orrery.api.engine.InstanceView;
import io.orrery.engine.internal.hazelcast.HazelcastInstanceTable;
import io.orrery.engine.internal.store.InstanceRows;
import io.orrery.store.JdbcStore;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Three engine nodes; instances are part way through when one member is terminated (no shutdown): the survivors
 * hold every instance's state (Hazelcast backups), finish every instance, and the store ends up with each
 * instance's last revision, including saves the lost member may not have written.
 */
class MemberLossIT {

    static final String STEPS = """
            workflow('steps') {
                rule('one')   { match { !state.one };                          action { call 'step', [n: 1] }
                                reaction { r -> state.one = r.n } }
                rule('two')   { match { input.go && state.one && !state.two };  action { call 'step', [n: 2] }
                                reaction { r -> state.two = r.n } }
                rule('three') { match { state.two && !state.done };             action { call 'step', [n: 3] }
                                reaction { r -> state.done = true; complete(output: [sum: state.one + state.two + r.n]) } }
            }
            """;

    @Test
    void instancesContinueOnTheSurvivorsWhenAMemberIsLost() throws Exception {
        int n = 60;
        try (var store = JdbcStore.open("jdbc:h2:mem:engine-loss-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
             var cluster = new TestCluster(3).start(store, false, TestCluster.options(),
                     fn -> Optional.of(TestCluster.function(fn, args -> Map.of("n", args.get("n")))))) {
            cluster.deployEverywhere("acme", TestCluster.compile(STEPS));
            for (int i = 0; i < n; i++) {
                cluster.nodes.get(i % 3).engine().submit(InstanceRequest.of("acme", "steps", "k" + i, Map.of()));
            }
            var engine = cluster.nodes.get(0).engine();
            await().atMost(Duration.ofSeconds(30)).until(() -> engine.list("acme", "steps", InstanceStatus.IDLE, 0, n)
                    .stream().filter(v -> v.state().containsKey("one")).count() == n);

            // Work under way on every member when member 2 goes.
            for (int i = 0; i < n; i++) {
                cluster.nodes.get(i % 2).engine().submit(InstanceRequest.of("acme", "steps", "k" + i, Map.of("go", true)));
            }
            cluster.crash(2);

            await().atMost(Duration.ofSeconds(60)).until(() -> engine.list("acme", "steps", InstanceStatus.IDLE, 0, n)
                    .stream().filter(InstanceView::completed).count() == n);
            for (int i = 0; i < n; i++) {
                InstanceView v = engine.find(new InstanceId("acme", "steps", "k" + i)).orElseThrow();
                assertThat(v.output()).containsEntry("sum", 6);
                assertThat(v.pending()).isEmpty();
            }

            // The store holds each instance's last revision, whichever member saved it.
            var rows = new InstanceRows(store.dataSource());
            try {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    for (int i = 0; i < 2; i++) {
                        cluster.nodes.get(i).journal().flush();
                    }
                    for (int i = 0; i < n; i++) {
                        var id = new InstanceId("acme", "steps", "k" + i);
                        long revision = cluster.nodes.get(0).map().load(id).revision;
                        assertThat(rows.revision(HazelcastInstanceTable.key(id))).as(id.toString())
                                .isEqualTo(revision);
                    }
                });
            } catch (ConditionTimeoutException e) {
                printThreads();
                throw e;
            }
        }
    }

    /**
     * Every thread's stack, to the test's output: once in a full build this check did not return within its 30 s
     * (neither passed nor failed), and the stacks tell what it waited on.
     */
    private static void printThreads() {
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            StringBuilder text = new StringBuilder("\"" + thread.getName() + "\" " + thread.getState());
            for (StackTraceElement frame : stack) {
                text.append("\n    at ").append(frame);
            }
            System.err.println(text);
        });
    }
}
