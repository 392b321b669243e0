package io.orrery.engine.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.api.queue.MessageState;
import io.orrery.api.queue.QueueId;
import io.orrery.engine.internal.hazelcast.HazelcastInstanceTable;
import io.orrery.engine.internal.queue.QueueCallPort;
import io.orrery.engine.internal.store.InstanceRows;
import io.orrery.store.JdbcStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Deleting a tenant on two real engine nodes with the store behind them: its instances leave the map and the
 * store, including saves another member has not written yet, its meters leave the node's registry, its queued calls
 * are purged, and after a full restart a tenant of the same name finds nothing of the old one. Other tenants keep
 * everything.
 */
class TenantDeletionIT {

    @Test
    void aDeletedTenantsInstancesLeaveTheClusterAndTheStoreAndDoNotComeBack() throws Exception {
        var module = TestCluster.compile(RestoreIT.STEPS);
        List<InstanceId> acme = List.of(new InstanceId("acme", "steps", "k1"), new InstanceId("acme", "steps", "k2"),
                new InstanceId("acme", "steps", "k3"));
        InstanceId beta = new InstanceId("beta", "steps", "b1");
        try (JdbcStore store = RestoreIT.h2()) {
            InstanceRows rows = new InstanceRows(store.dataSource());
            try (var cluster = new TestCluster(2).withoutWorkers() // its calls wait on the queue to be purged
                    .start(store, false, RestoreIT.manualFlush(), fn -> Optional.empty())) {
                cluster.deployEverywhere("acme", module);
                cluster.deployEverywhere("beta", module);
                var first = cluster.nodes.get(0);
                var second = cluster.nodes.get(1);
                first.engine().submit(InstanceRequest.of("acme", "steps", "k1", Map.of()));
                first.engine().submit(InstanceRequest.of("acme", "steps", "k2", Map.of()));
                second.engine().submit(InstanceRequest.of("acme", "steps", "k3", Map.of()));
                second.engine().submit(InstanceRequest.of("beta", "steps", "b1", Map.of()));
                first.journal().flush();
                assertThat(rows.load(HazelcastInstanceTable.key(acme.get(0)))).isNotNull();
                assertThat(first.engine().metrics().registry().getMeters())
                        .anyMatch(m -> "acme".equals(m.getId().getTag("tenant")));

                assertThat(first.engine().deleteTenant("acme")).isEqualTo(3);
                assertThat(cluster.queues.get(0).purgeTenant("acme")).isPositive();
                second.journal().flush(); // holds k3's unwritten save, made before the delete

                for (InstanceId id : acme) {
                    assertThat(first.engine().find(id)).as(id.toString()).isEmpty();
                    assertThat(second.engine().find(id)).as(id.toString()).isEmpty();
                    assertThat(rows.load(HazelcastInstanceTable.key(id))).as("stored " + id).isNull();
                }
                assertThat(first.engine().workflows("acme")).isEmpty();
                assertThat(first.engine().metrics().registry().getMeters()).as("its meters")
                        .noneMatch(m -> "acme".equals(m.getId().getTag("tenant")));
                assertThat(cluster.queues.get(0).stats(QueueId.of("acme", QueueCallPort.FUNCTIONS)).byState()
                        .getOrDefault(MessageState.PENDING, 0L)).isZero();
                assertThat(second.engine().find(beta)).isPresent();
                assertThat(rows.load(HazelcastInstanceTable.key(beta))).isNotNull();
                cluster.killAll();
            }
            try (var restarted = new TestCluster(1).withoutWorkers()
                    .start(store, false, RestoreIT.manualFlush(), fn -> Optional.empty())) {
                restarted.deployEverywhere("acme", module);
                restarted.deployEverywhere("beta", module);
                for (InstanceId id : acme) {
                    assertThat(restarted.nodes.get(0).engine().find(id)).as("after a restart: " + id).isEmpty();
                }
                assertThat(restarted.nodes.get(0).engine().find(beta)).isPresent();
            }
        }
    }
}
