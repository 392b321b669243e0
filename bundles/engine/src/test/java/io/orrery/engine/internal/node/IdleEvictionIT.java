package io.orrery.engine.internal.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.api.engine.PendingCall;
import io.orrery.engine.internal.hazelcast.HazelcastInstanceTable;
import io.orrery.engine.internal.store.IdleEviction;
import io.orrery.engine.internal.store.InstanceRows;
import io.orrery.store.JdbcStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Idle instances leave memory on two real members with an H2 store behind them, and come back: on their next event
 * (on either member), and in a new version's re-evaluation. What the store does not hold yet never leaves.
 */
class IdleEvictionIT {

    private static final Duration NOW = Duration.ZERO; // every instance counts as idle; sweeps run when called
    private static final Duration NEVER = Duration.ofHours(1);
    private static final String FLAGS_V1 = """
            workflow('flags') {
                version 1
                rule('start') { match { !state.started }; action { state.started = true } }
            }
            """;
    private static final String FLAGS_V2 = """
            workflow('flags') {
                version 2
                rule('start') { match { !state.started }; action { state.started = true } }
                rule('mark') { match { state.started && !state.marked }; action { state.marked = true } }
            }
            """;

    @Test
    void anIdleInstanceLeavesMemoryOnceStoredAndComesBackOnItsNextEvent() throws Exception {
        var id = new InstanceId("acme", "steps", "k");
        try (JdbcStore store = RestoreIT.h2();
             var cluster = withoutWorkers().start(store, false, RestoreIT.manualFlush(), fn -> Optional.empty())) {
            cluster.deployEverywhere("acme", TestCluster.compile(RestoreIT.STEPS));
            List<IdleEviction> sweeps = evictEverywhere(cluster);
            cluster.nodes.get(0).engine().submit(InstanceRequest.of("acme", "steps", "k", Map.of()));

            assertThat(sweep(sweeps)).as("evicted before the store holds it").isZero();
            assertThat(cluster.nodes.get(0).map().load(id)).isNotNull();

            flushAll(cluster);
            assertThat(sweep(sweeps)).as("evicted once stored").isEqualTo(1);
            assertThat(cluster.nodes.get(0).map().size()).isZero();
            assertThat(new InstanceRows(store.dataSource()).revision(HazelcastInstanceTable.key(id))).isPositive();

            RestoreIT.answer(cluster, id); // the result of its first call: the event that brings it back
            var view = cluster.nodes.get(1).engine().find(id).orElseThrow();
            assertThat(view.state()).containsEntry("one", 1);
            assertThat(view.pending()).extracting(PendingCall::rule).containsExactly("two");
            assertThat(cluster.nodes.get(0).map().size()).isEqualTo(1);
        }
    }

    @Test
    void aSaveTheStoreDoesNotHoldYetKeepsTheInstanceInMemory() throws Exception {
        var id = new InstanceId("acme", "steps", "k");
        try (JdbcStore store = RestoreIT.h2();
             var cluster = withoutWorkers().start(store, false, RestoreIT.manualFlush(), fn -> Optional.empty())) {
            cluster.deployEverywhere("acme", TestCluster.compile(RestoreIT.STEPS));
            List<IdleEviction> sweeps = evictEverywhere(cluster);
            cluster.nodes.get(0).engine().submit(InstanceRequest.of("acme", "steps", "k", Map.of()));
            flushAll(cluster);
            RestoreIT.answer(cluster, id); // a newer revision, journalled and not written

            assertThat(sweep(sweeps)).isZero();
            long live = cluster.nodes.get(0).map().load(id).revision;
            assertThat(new InstanceRows(store.dataSource()).revision(HazelcastInstanceTable.key(id))).isLessThan(live);

            flushAll(cluster);
            assertThat(sweep(sweeps)).isEqualTo(1);
            assertThat(cluster.nodes.get(1).engine().find(id).orElseThrow().state()).containsEntry("one", 1);
        }
    }

    @Test
    void aNewVersionReevaluatesEvictedInstancesToo() throws Exception {
        try (JdbcStore store = RestoreIT.h2();
             var cluster = new TestCluster(2).start(store, false, RestoreIT.manualFlush(), fn -> Optional.empty())) {
            cluster.deployEverywhere("acme", TestCluster.compile(FLAGS_V1));
            List<IdleEviction> sweeps = evictEverywhere(cluster);
            List<InstanceId> ids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ids.add(new InstanceId("acme", "flags", "k" + i));
                cluster.nodes.get(i % 2).engine().submit(InstanceRequest.of("acme", "flags", "k" + i, Map.of()));
            }
            flushAll(cluster);
            assertThat(sweep(sweeps)).isEqualTo(ids.size());

            var v2 = TestCluster.compile(FLAGS_V2);
            var report = cluster.nodes.get(1).engine().dryRun("acme", v2).get(0);
            assertThat(report.instances()).as("a dry run sees the evicted instances").isEqualTo(ids.size());
            assertThat(report.wouldFire()).containsEntry("mark", (long) ids.size());
            assertThat(cluster.nodes.get(0).map().size()).as("and leaves them in the store").isZero();

            cluster.deployEverywhere("acme", v2);

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(cluster.nodes.get(0).map().size())
                    .as("instances read back by the re-evaluation").isEqualTo(ids.size()));
            for (InstanceId id : ids) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                        cluster.nodes.get(0).map().load(id).state).containsEntry("marked", true));
            }
        }
    }

    /**
     * Two members whose calls wait on the queue: the tests answer them themselves, and a worker would claim them first
     * (and, finding no such function, retry and fail them) half of the time.
     */
    private static TestCluster withoutWorkers() {
        return new TestCluster(2).withoutWorkers();
    }

    private static List<IdleEviction> evictEverywhere(TestCluster cluster) {
        return cluster.nodes.stream().map(n -> n.evictIdle(NOW, NEVER)).toList();
    }

    private static long sweep(List<IdleEviction> sweeps) throws Exception {
        long n = 0;
        for (IdleEviction s : sweeps) {
            n += s.sweep();
        }
        return n;
    }

    private static void flushAll(TestCluster cluster) throws Exception {
        for (EngineNode node : cluster.nodes) {
            node.journal().flush();
        }
    }
}
