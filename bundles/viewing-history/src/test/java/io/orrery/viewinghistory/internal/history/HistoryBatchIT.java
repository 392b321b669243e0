package io.orrery.viewinghistory.internal.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A batch saved at once leaves the store exactly as saving its entries one by one in session order does, on H2
 * and on PostgreSQL: new and corrected entries, stale versions ignored, several sessions of one user and title in
 * one batch, equal end times broken by session id; batches of one row, of a statement's chunk and of several chunks.
 */
class HistoryBatchIT {

    @RegisterExtension
    static final HistoryStores STORES = new HistoryStores();

    @Test
    void aBatchSavesWhatOneByOneSavesOnH2() throws Exception {
        assertSameAsOneByOne(() -> new HistoryTable(STORES.h2("vh-batch")));
    }

    @Test
    void aBatchSavesWhatOneByOneSavesOnPostgres() throws Exception {
        assertSameAsOneByOne(() -> new HistoryTable(STORES.postgres("vh_batch")));
    }

    @Test
    void anEntryOfALaterStateLifetimeCompletesTheStoredOneInBothPathsOnH2() throws Exception {
        assertLaterLifetimesComplete(new HistoryTable(STORES.h2("vh-lifetimes")));
    }

    @Test
    void anEntryOfALaterStateLifetimeCompletesTheStoredOneInBothPathsOnPostgres() throws Exception {
        assertLaterLifetimesComplete(new HistoryTable(STORES.postgres("vh_lifetimes")));
    }

    @Test
    void aBatchAcrossStateLifetimesSavesWhatOneByOneSavesOnH2() throws Exception {
        assertSameAsOneByOne(() -> new HistoryTable(STORES.h2("vh-batch")), 3);
    }

    @Test
    void aBatchAcrossStateLifetimesSavesWhatOneByOneSavesOnPostgres() throws Exception {
        assertSameAsOneByOne(() -> new HistoryTable(STORES.postgres("vh_batch")), 3);
    }

    /**
     * Sessions a and b written by a state that was then lost, and computations of the new state that late events
     * began (a lifetime of its own, see SessionState): they complete the stored entries, in a batch as one by one,
     * and keep doing so for the rest of the new lifetime; c, written by one lifetime alone, is still replaced.
     */
    private static void assertLaterLifetimesComplete(HistoryTable table) throws Exception {
        long lost = 1_000L << 20;
        long late = 5_000L << 20;
        assertThat(table.saveAll(List.of(entry("a", 1_000, 61_000, 60_000, 60_000, lost + 2),
                entry("b", 1_000, 31_000, 30_000, 30_000, lost + 2), entry("c", 1_000, 9_000, 8_000, 8_000, late + 1))))
                .containsExactlyInAnyOrder("a", "b", "c");
        assertThat(table.hide("u", "a")).isTrue();

        // a's late events fall inside it: nothing changes; b's end after it: its end and position move
        assertThat(table.saveAll(List.of(entry("a", 21_000, 41_000, 20_000, 40_000, late + 3),
                entry("b", 41_000, 51_000, 10_000, 50_000, late + 3)))).containsExactly("b");
        assertThat(table.save(entry("b", 41_000, 56_000, 15_000, 55_000, late + 4))).isTrue();
        assertThat(table.saveAll(List.of(entry("b", 41_000, 61_500, 20_000, 60_500, late + 5)))).containsExactly("b");
        assertThat(table.save(entry("b", 41_000, 51_000, 10_000, 50_000, late + 3))).isFalse();        // redelivered
        assertThat(table.saveAll(List.of(entry("b", 41_000, 56_000, 15_000, 55_000, late + 4)))).isEmpty();
        // within c's one lifetime a correction replaces, even one that lowers the watched time
        assertThat(table.save(entry("c", 1_000, 9_000, 5_000, 8_000, late + 2))).isTrue();

        assertThat(table.entries("u")).extracting(HistoryEntry::sessionId, HistoryEntry::startedAt,
                HistoryEntry::endedAt, HistoryEntry::watchedMs, HistoryEntry::lastPositionMs, HistoryEntry::hidden)
                .containsExactly(tuple("b", 1_000L, 61_500L, 30_000L, 60_500L, false),
                        tuple("a", 1_000L, 61_000L, 60_000L, 60_000L, true),
                        tuple("c", 1_000L, 9_000L, 5_000L, 8_000L, false));
        assertThat(table.bookmarks("u")).containsExactly(new Bookmark("a", 60_000, 61_000),
                new Bookmark("b", 60_500, 61_500), new Bookmark("c", 8_000, 9_000));
    }

    private static HistoryEntry entry(String session, long startedAt, long endedAt, long watched, long position,
                                      long version) {
        return new HistoryEntry(session, "u", session, "tv", startedAt, endedAt, watched, position, false, version);
    }

    private static void assertSameAsOneByOne(Supplier<HistoryTable> tables) throws Exception {
        assertSameAsOneByOne(tables, 1);
    }

    /** Versions spread over {@code lifetimes} state lifetimes (see SessionState); 1: the one of earlier releases. */
    private static void assertSameAsOneByOne(Supplier<HistoryTable> tables, int lifetimes) throws Exception {
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
                        false, ((long) random.nextInt(lifetimes) << 20) + Math.max(1, version + 2)));
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

}
