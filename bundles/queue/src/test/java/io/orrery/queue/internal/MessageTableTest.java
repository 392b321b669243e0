package io.orrery.queue.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.queue.MessageState;
import io.orrery.api.queue.QueueId;
import io.orrery.queue.grid.JournalBatch;
import io.orrery.queue.grid.Slot;
import io.orrery.store.JdbcStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The message table's writes on the embedded H2 store: new rows in few statement shapes, a clash retried. */
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
}
