package io.orrery.viewinghistory.internal.processor;

import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import io.orrery.cluster.testing.LoopbackMembers;
import io.orrery.store.JdbcStore;
import io.orrery.viewinghistory.internal.history.HistoryTable;
import java.time.Duration;
import java.util.UUID;

/**
 * Two real Hazelcast members on loopback, joined, beside an H2 store migrated for the viewing history: what the
 * multi-member processor tests start once per class. {@code slots} leaves room for members a test starts itself.
 */
final class TwoMembersAndStore implements AutoCloseable {

    final LoopbackMembers members;
    final HazelcastInstance first;
    final HazelcastInstance second;
    final JdbcStore store;
    final HistoryTable table;

    TwoMembersAndStore(String cluster, int slots) throws Exception {
        members = new LoopbackMembers(cluster, slots);
        first = members.start(0);
        second = members.start(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> first.getCluster().getMembers().size() == 2);
        store = JdbcStore.open("jdbc:h2:mem:" + cluster + "-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        store.migrate("viewinghistory", TwoMembersAndStore.class.getClassLoader());
        table = new HistoryTable(store.dataSource());
    }

    @Override
    public void close() {
        second.shutdown();
        first.shutdown();
        store.close();
    }
}
