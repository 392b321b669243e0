package io.orrery.queue.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.fault.CrashPoints;
import io.orrery.api.queue.MessageState;
import io.orrery.api.queue.QueueId;
import io.orrery.queue.grid.JournalBatch;
import io.orrery.queue.grid.Slot;
import io.orrery.store.JdbcStore;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The message table's writes on the embedded H2 store: new rows in few statement shapes, a clash retried, a finished
 * message's row turned into a bare tombstone.
 */
class MessageTableTest {

    private static final QueueId QUEUE = QueueId.of("acme", "jobs");

    private JdbcStore store;
    private MessageTable table;

    @BeforeEach
    void open() {
        store = JdbcStore.open("jdbc:h2:mem:queue-rows-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        store.migrate("queue", MessageTable.class.getClassLoader());
        table = new MessageTable(store.dataSource());
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static Slot message(String id, long version) {
        return Slot.incoming(id, 5, Slot.NONE, Slot.NONE, null, 3, null, null,
                id.getBytes(StandardCharsets.UTF_8), 1_000).restoredAs(MessageState.PENDING, 0, 1_000, 1_000, null,
                1_000, version);
    }

    private Map<String, Slot> stored() throws Exception {
        Map<String, Slot> found = new HashMap<>();
        table.load(0, m -> found.put(m.slot().id(), m.slot()));
        return found;
    }

    @Test
    void anyNumberOfNewMessagesIsWrittenWithItsPayload() throws Exception {
        int total = 0;
        for (int count : new int[] {1, 9, 10, 50, 73, 137}) {
            List<Slot> fresh = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                fresh.add(message(count + "-" + i, i + 1));
            }
            table.write(List.of(new MessageTable.ShardBatch(QUEUE, 0, JournalBatch.of(fresh, -1, Slot.NONE))));
            total += count;
        }
        Map<String, Slot> stored = stored();
        assertThat(stored).hasSize(total);
        assertThat(new String(stored.get("137-136").payload(), StandardCharsets.UTF_8)).isEqualTo("137-136");
        assertThat(stored.get("73-72").version()).isEqualTo(73);
    }

    @Test
    void aNewMessageThatHasARowAlreadyIsWrittenAgainTheCarefulWay() throws Exception {
        // 63 new messages: an INSERT of 50, one of 10 and three single rows, the last of which exists, newer
        table.write(List.of(new MessageTable.ShardBatch(QUEUE, 0, JournalBatch.of(List.of(message("m62", 9)), -1,
                Slot.NONE))));
        List<Slot> fresh = new ArrayList<>();
        for (int i = 0; i < 63; i++) {
            fresh.add(message("m" + i, 2));
        }
        table.write(List.of(new MessageTable.ShardBatch(QUEUE, 0, JournalBatch.of(fresh, -1, Slot.NONE))));
        Map<String, Slot> stored = stored();
        assertThat(stored).hasSize(63);
        assertThat(stored.get("m0").version()).isEqualTo(2);
        assertThat(stored.get("m62").version()).as("a row never goes back").isEqualTo(9);
    }

    /** A finished message as a shard's journal hands it over: id, final state, since when, version; nothing else. */
    private static Slot tombstone(String id, MessageState state, long since, long version, boolean stored) {
        Slot s = Slot.incoming(id, 0, Slot.NONE, Slot.NONE, null, 0, null, null, null, 0)
                .restoredAs(state, 0, 0, 0, null, since, version);
        return stored ? s.markStored() : s;
    }

    private void write(Slot... entries) throws Exception {
        table.write(List.of(new MessageTable.ShardBatch(QUEUE, 0, JournalBatch.of(List.of(entries), -1, Slot.NONE))));
    }

    @Test
    void aFinishedMessageLeavesABareTombstoneThatARestartReadsBack() throws Exception {
        write(message("done", 1), message("dropped", 2), message("live", 3));
        Slot retried = message("live", 6).restoredAs(MessageState.PENDING, 1, 1_000, 5_000, "lease expired", 5_000, 6)
                .markStored();
        write(tombstone("done", MessageState.COMPLETED, 7_000, 4, true),
                tombstone("dropped", MessageState.CANCELLED, 8_000, 5, true), retried);

        Map<String, Slot> stored = stored();
        Slot done = stored.get("done");
        assertThat(done.state()).isEqualTo(MessageState.COMPLETED);
        assertThat(done.stateSince()).isEqualTo(7_000);
        assertThat(done.version()).isEqualTo(4);
        assertThat(done.payload()).as("a tombstone keeps no payload").isNull();
        assertThat(stored.get("dropped").state()).isEqualTo(MessageState.CANCELLED);
        assertThat(stored.get("dropped").version()).isEqualTo(5);
        Slot live = stored.get("live");
        assertThat(live.state()).isEqualTo(MessageState.PENDING);
        assertThat(live.attempts()).isEqualTo(1);
        assertThat(live.lastError()).isEqualTo("lease expired");
        assertThat(new String(live.payload(), StandardCharsets.UTF_8)).isEqualTo("live");
    }

    @Test
    void anOlderTombstoneNeverOverwritesANewerRowAndAMissingRowIsWrittenAsATombstone() throws Exception {
        write(message("newer", 9));
        // a late write from a previous owner of the shard, and the end of a message whose first write never committed
        write(tombstone("newer", MessageState.COMPLETED, 7_000, 8, true),
                tombstone("unseen", MessageState.COMPLETED, 7_500, 3, true));

        Map<String, Slot> stored = stored();
        assertThat(stored.get("newer").state()).isEqualTo(MessageState.PENDING);
        assertThat(stored.get("newer").version()).isEqualTo(9);
        assertThat(stored.get("unseen").state()).isEqualTo(MessageState.COMPLETED);
        assertThat(stored.get("unseen").version()).isEqualTo(3);
        assertThat(stored.get("unseen").stateSince()).isEqualTo(7_500);
    }

    @Test
    void aRowAnotherWriterStoresBetweenTheUpdateAndTheInsertEndsAtTheNewerVersion() throws Exception {
        // Two writers of one shard in a migration: this one's update finds no row, the other inserts older versions
        // and commits, then this one's insert finds them.
        Slot live = message("live", 5).markStored();
        Slot finished = tombstone("finished", MessageState.COMPLETED, 9_000, 6, true);
        MessageTable other = new MessageTable(store.dataSource());
        CrashPoints.arm(QueueCrashPoints.UPDATED_BEFORE_INSERT, (point, scope) -> {
            CrashPoints.disarm(QueueCrashPoints.UPDATED_BEFORE_INSERT);
            try {
                other.write(List.of(new MessageTable.ShardBatch(QUEUE, 0, JournalBatch.of(
                        List.of(message("live", 4), message("finished", 4)), -1, Slot.NONE))));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            write(live, finished);
        } finally {
            CrashPoints.reset();
        }

        Map<String, Slot> stored = stored();
        assertThat(stored.get("live").version()).isEqualTo(5);
        assertThat(stored.get("finished").version()).isEqualTo(6);
        assertThat(stored.get("finished").state()).isEqualTo(MessageState.COMPLETED);
        assertThat(stored.get("finished").payload()).isNull();
    }
}
