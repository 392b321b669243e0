package io.orrery.viewinghistory.internal.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.store.JdbcStore;
import io.orrery.store.testing.PostgresServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A batch saved at once leaves the store exactly as saving its entries one by one in session order does, on H2
 * and on PostgreSQL: new and corrected entries, stale versions ignored, several sessions of one user and title in
 * one batch, equal end times broken by session id; batches of one row, of a statement's chunk and of several chunks.
 */
class HistoryBatchIT {

    private static PostgresServer postgres;
    private static final List<JdbcStore> STORES = new ArrayList<>();

    @BeforeAll
    static void start() {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stop() {
        STORES.forEach(JdbcStore::close);
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aBatchSavesWhatOneByOneSavesOnH2() throws Exception {
        assertSameAsOneByOne(() -> store("jdbc:h2:mem:vh-batch-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa",
                ""));
    }

    @Test
    void aBatchSavesWhatOneByOneSavesOnPostgres() throws Exception {
        assertSameAsOneByOne(() -> store(postgres.createDatabase("vh_batch_" + STORES.size()), postgres.user(),
                postgres.password()));
    }

    private static void assertSameAsOneByOne(Supplier<HistoryTable> tables) throws Exception {
        HistoryTable batched = tables.get();
        HistoryTable single = tables.get();
        Random random = new Random(17);
        Map<String, Long> versions = new HashMap<>();
        // Batches below, at and past a statement's chunk of rows (50), several chunks, and a single row.
        int[] sizes = {60, 1, 50, 51, 140, 7, 100, 220, 60, 2, 149, 60};
        for (int round = 0; round < sizes.length; round++) {
            Map<String, HistoryEntry> batch = new HashMap<>();
            for (int i = 0; i < sizes[round]; i++) {
                String session = "s" + random.nextInt(160);
                long version = versions.merge(session, (long) (random.nextInt(3) - 1), Long::sum);  // may go back
                int user = session.hashCode() & 7;
                batch.put(session, new HistoryEntry(session, "u" + user, "t" + (session.hashCode() >>> 4 & 3), "tv",
                        1_000, 2_000 + random.nextInt(4) * 1_000, random.nextInt(9_000), random.nextInt(50_000),
                        false, Math.max(1, version + 2)));
            }
            Set<String> changedOneByOne = new HashSet<>();
            for (HistoryEntry e : batch.values().stream()
                    .sorted(java.util.Comparator.comparing(HistoryEntry::sessionId)).toList()) {
                if (single.save(e)) {
                    changedOneByOne.add(e.sessionId());
                }
            }
            assertThat(batched.saveAll(batch.values())).as("round " + round).isEqualTo(changedOneByOne);
        }
        for (int user = 0; user < 8; user++) {
            assertThat(batched.entries("u" + user)).isEqualTo(single.entries("u" + user)).isNotEmpty();
            assertThat(batched.bookmarks("u" + user)).isEqualTo(single.bookmarks("u" + user));
        }
    }

    private static HistoryTable store(String url, String user, String password) {
        JdbcStore store = JdbcStore.open(url, user, password);
        STORES.add(store);
        store.migrate("viewinghistory", HistoryBatchIT.class.getClassLoader());
        return new HistoryTable(store.dataSource());
    }
}
