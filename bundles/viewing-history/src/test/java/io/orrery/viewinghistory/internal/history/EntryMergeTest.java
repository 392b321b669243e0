package io.orrery.viewinghistory.internal.history;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * How a computed entry meets the stored row of its session. Within one lifetime of the session's state the newer
 * computation replaces the row; a computation of another lifetime (the state was lost, and late events began a new
 * one) is merged into it, and so is every later one into a merged row, so what the lost state knew stays.
 */
class EntryMergeTest {

    /** A lifetime whose state was lost, and the one late events began three days later. */
    private static final long LOST = 1_000_000L << 20;
    private static final long LATE = (1_000_000L + 259_200_000L) << 20;

    @Test
    void withinOneLifetimeANewerComputationReplacesTheRowAndAnOlderOneChangesNothing() {
        HistoryEntry stored = entry(1_000, 61_000, 60_000, 60_000, LOST + 2);
        HistoryEntry corrected = entry(1_000, 61_000, 45_000, 60_000, LOST + 3);   // a late SEEK: less watched

        assertThat(EntryMerge.next(stored, corrected)).isEqualTo(corrected);
        assertThat(EntryMerge.next(corrected, stored)).isNull();
        assertThat(EntryMerge.next(stored, stored)).isNull();
    }

    @Test
    void theVersionsOfEarlierReleasesAreOneLifetimeAndReplaceAsBefore() {
        HistoryEntry corrected = entry(2_000, 9_000, 1_000, 8_000, 3);

        assertThat(EntryMerge.next(entry(1_000, 9_000, 8_000, 8_000, 2), corrected)).isEqualTo(corrected);
        assertThat(EntryMerge.next(corrected, entry(1_000, 9_000, 8_000, 8_000, 2))).isNull();
    }

    @Test
    void aLaterLifetimeThatEndsLaterMovesTheEndAndKeepsTheEarliestStartTheMostWatchedAndTheRowsOwnFields() {
        HistoryEntry stored = new HistoryEntry("s", "u", "t", "tv", 1_000, 61_000, 60_000, 60_000, true, LOST + 2);
        HistoryEntry late = new HistoryEntry("s", "u", "t", "phone", 41_000, 71_000, 30_000, 70_000, false,
                LATE + 3);

        HistoryEntry merged = EntryMerge.next(stored, late);

        assertThat(merged).usingRecursiveComparison().ignoringFields("version").isEqualTo(
                new HistoryEntry("s", "u", "t", "tv", 1_000, 71_000, 60_000, 70_000, true, 0));
        assertThat(merged.version()).isGreaterThan(LATE + 3);
    }

    @Test
    void aLaterLifetimeThatEndsEarlierChangesNothing() {
        HistoryEntry stored = entry(1_000, 61_000, 60_000, 60_000, LOST + 2);

        assertThat(EntryMerge.next(stored, entry(21_000, 41_000, 20_000, 40_000, LATE + 3))).isNull();
        assertThat(EntryMerge.next(stored, entry(21_000, 61_000, 20_000, 40_000, LATE + 3))).isNull();  // equal end
    }

    @Test
    void aMergedRowTakesEveryLaterComputationOfTheNewLifetimeByMergeSoWhatTheLostStateKnewStays() {
        HistoryEntry merged = EntryMerge.next(entry(1_000, 31_000, 30_000, 30_000, LOST + 2),
                entry(41_000, 51_000, 10_000, 50_000, LATE + 3));

        HistoryEntry again = EntryMerge.next(merged, entry(41_000, 56_000, 15_000, 55_000, LATE + 4));

        assertThat(again).extracting(HistoryEntry::startedAt, HistoryEntry::endedAt, HistoryEntry::watchedMs,
                HistoryEntry::lastPositionMs).containsExactly(1_000L, 56_000L, 30_000L, 55_000L);
        assertThat(EntryMerge.next(again, entry(41_000, 56_000, 15_000, 55_000, LATE + 4))).isNull();   // redelivered
        assertThat(EntryMerge.next(again, entry(41_000, 51_000, 10_000, 50_000, LATE + 3))).isNull();   // older
        // the lost lifetime's own last computation, arriving after all: merged as well, never dropped
        assertThat(EntryMerge.next(again, entry(1_000, 31_000, 32_000, 30_000, LOST + 3)))
                .extracting(HistoryEntry::watchedMs).isEqualTo(32_000L);
    }

    private static HistoryEntry entry(long startedAt, long endedAt, long watched, long position, long version) {
        return new HistoryEntry("s", "u", "t", "tv", startedAt, endedAt, watched, position, false, version);
    }
}
