package io.orrery.viewinghistory.internal.history;

import io.orrery.viewinghistory.grid.SessionState;

/**
 * How a computed entry meets the row the store holds for its session, by the lifetimes of the session's state their
 * versions belong to ({@link SessionState}).
 *
 * <p>Within one lifetime a state only gains events, so its newer computation is the whole truth and replaces the
 * row, even where a late event lowers the watched time. A computation of another lifetime knows only that
 * lifetime's events (the grid lost the state that knew the others), so it is merged into the row instead: the
 * earliest start, the latest end with its position, the larger watched time (each lifetime's is a part of the
 * whole; their sum could count a stretch twice), and the row's user, title, device and hidden flag. The merged row
 * is marked by its change count ({@link #MERGED}, above any a lifetime reaches), and every later computation,
 * whatever its lifetime, is merged into it: a replace would drop again what the lost state knew. Merging takes
 * minima and maxima, so a redelivered or out-of-order computation changes nothing it should not.
 */
final class EntryMerge {

    /** The change count of a merged row's version. */
    static final long MERGED = (1L << SessionState.LIFETIME_BITS) - 1;

    private EntryMerge() {
    }

    /** Whether a computation at {@code computed} is of the lifetime that alone wrote the row at {@code stored}. */
    static boolean sameLifetime(long stored, long computed) {
        return SessionState.lifetime(stored) == SessionState.lifetime(computed)
                && SessionState.changes(stored) != MERGED;
    }

    /** The first version of the lifetime of {@code version}. */
    static long lifetimeStart(long version) {
        return SessionState.lifetime(version) << SessionState.LIFETIME_BITS;
    }

    /** What the store should hold in place of {@code stored}; null when it holds that already, or something newer. */
    static HistoryEntry next(HistoryEntry stored, HistoryEntry computed) {
        if (sameLifetime(stored.version(), computed.version())) {
            return computed.version() > stored.version() ? computed : null;
        }
        boolean endsLater = computed.endedAt() > stored.endedAt();
        HistoryEntry merged = new HistoryEntry(stored.sessionId(), stored.userId(), stored.titleId(), stored.device(),
                Math.min(stored.startedAt(), computed.startedAt()), endsLater ? computed.endedAt() : stored.endedAt(),
                Math.max(stored.watchedMs(), computed.watchedMs()),
                endsLater ? computed.lastPositionMs() : stored.lastPositionMs(), stored.hidden(), stored.version());
        if (merged.equals(stored)) {
            return null;    // nothing new: the row stays as it is, merged or not
        }
        long lifetime = Math.max(SessionState.lifetime(stored.version()), SessionState.lifetime(computed.version()));
        return new HistoryEntry(merged.sessionId(), merged.userId(), merged.titleId(), merged.device(),
                merged.startedAt(), merged.endedAt(), merged.watchedMs(), merged.lastPositionMs(), merged.hidden(),
                lifetime << SessionState.LIFETIME_BITS | MERGED);
    }
}
