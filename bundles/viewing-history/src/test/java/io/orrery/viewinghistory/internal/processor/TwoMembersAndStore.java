package io.orrery.viewinghistory.internal.processor;

import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import io.orrery.cluster.testing.LoopbackMembers;
import io.orrery.store.JdbcStore;
import io.orrery.viewinghistory.internal.StoredHistory;
import io.orrery.viewinghistory.internal.history.Bookmark;
import io.orrery.viewinghistory.internal.history.HistoryCache;
import io.orrery.viewinghistory.internal.history.HistoryEntry;
import io.orrery.viewinghistory.internal.history.HistoryTable;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

    /** A processor of the default sessions map on {@code member}, with the node's default settings. */
    SessionProcessor processorOn(HazelcastInstance member) {
        return new SessionProcessor(member, table, new HistoryCache(member, table), ProcessorSettings.defaults(),
                Clock.systemUTC());
    }

    /** Every stored entry of these users, by session, with the version zeroed; fails on a session stored twice. */
    Map<String, HistoryEntry> storedEntries(List<String> users) throws SQLException {
        return StoredHistory.entries(table, users);
    }

    /** Every bookmark of these users, by user and title. */
    Map<String, Map<String, Bookmark>> bookmarks(List<String> users) {
        try {
            return StoredHistory.bookmarks(table, users);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
