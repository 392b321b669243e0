package io.orrery.viewinghistory.internal.processor;

import com.hazelcast.map.IMap;
import io.orrery.viewinghistory.grid.SessionState;
import io.orrery.viewinghistory.grid.SessionWritten;
import io.orrery.viewinghistory.internal.history.EntryCalculation;
import io.orrery.viewinghistory.internal.history.HistoryCache;
import io.orrery.viewinghistory.internal.history.HistoryEntry;
import io.orrery.viewinghistory.internal.history.HistoryTable;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the entries of closed sessions: computed from their states, saved to the store (versioned, so never
 * duplicated nor overwritten by an older computation), then the grid told (the states marked written, the cache's
 * copies set, the users' cached lists dropped).
 */
final class EntryWriter {

    private static final Logger LOG = LoggerFactory.getLogger(EntryWriter.class);

    /** What writing came to: the sessions that failed, and the grid's updates that follow a write. */
    record Written(Map<String, Exception> failed, CompletableFuture<Void> gridUpdates) {
    }

    private final IMap<String, Object> sessions;
    private final HistoryTable table;
    private final HistoryCache cache;
    private final long retentionSeconds;
    private final LongAdder written = new LongAdder();
    private final LongAdder gridUpdatesFailed = new LongAdder();

    EntryWriter(IMap<String, Object> sessions, HistoryTable table, HistoryCache cache, Duration retention) {
        this.sessions = sessions;
        this.table = table;
        this.cache = cache;
        this.retentionSeconds = retention.toSeconds();
    }

    /**
     * Writes the entries of closed sessions to the store in one transaction (one by one when that fails, so a bad
     * session fails alone); the sessions that failed, with why. They stay unwritten in the grid, so their retry, their
     * redelivery or the idle sweep writes them.
     *
     * <p>Then marks the written sessions in the grid, each call setting the cache's copy of its entry too, and drops
     * their users' cached lists: sent, not awaited. Nothing that decides what is committed waits on them: the store
     * holds the entries now, and a call that fails costs only time: a state left unmarked is written again by the
     * idle sweep (the store keeps the newest version, so that changes nothing), and a user's list dropped late is
     * stale for at most its minute. The grid runs a partition's calls in the order they are sent, so the next batch's
     * calls for the same sessions find them marked. The idle sweep waits for them all the same (its next run, on any
     * member, must not find them due again), and so may a caller that needs to read them back.
     */
    Written write(Map<String, SessionState> closed) {
        Map<String, Exception> failed = new LinkedHashMap<>();
        if (closed.isEmpty()) {
            return new Written(failed, CompletableFuture.completedFuture(null));
        }
        Map<String, HistoryEntry> entries = new LinkedHashMap<>();
        closed.forEach((session, state) -> {
            try {
                entries.put(session, EntryCalculation.of(session, state));
            } catch (RuntimeException e) {
                failed.put(session, e);
            }
        });
        Set<String> changed = save(entries, failed);
        written.add(changed.size());
        return new Written(failed, tellGrid(entries, changed, failed));
    }

    /** Marks each saved session, with the cache's copy of its entry if it changed, and drops the users' lists. */
    private CompletableFuture<Void> tellGrid(Map<String, HistoryEntry> entries, Set<String> changed,
                                             Map<String, Exception> failed) {
        List<HistoryEntry> fresh = new ArrayList<>(changed.size());
        List<CompletableFuture<?>> updates = new ArrayList<>();
        entries.forEach((session, entry) -> {
            if (failed.containsKey(session)) {
                return;
            }
            String copy = null;
            if (changed.contains(session)) {
                fresh.add(entry);
                copy = cache.copyOf(entry);
            }
            updates.add(sessions.submitToKey(session, new SessionWritten(entry.version(), retentionSeconds,
                    cache.entriesMap(), copy)).whenComplete((marked, error) -> countIfFailed(error,
                    "marking session " + session)).toCompletableFuture());
        });
        updates.add(cache.dropLists(fresh).whenComplete((dropped, error) -> countIfFailed(error,
                "dropping users' cached lists")));
        return CompletableFuture.allOf(updates.toArray(CompletableFuture[]::new));
    }

    private void countIfFailed(Throwable error, String what) {
        if (error != null) {
            gridUpdatesFailed.increment();
            LOG.warn("Viewing history: {} failed; the idle sweep or the list's expiry makes up for it: {}", what,
                    (error instanceof CompletionException && error.getCause() != null ? error.getCause() : error)
                            .toString());
        }
    }

    /** Saves the entries not yet failed; the sessions whose entry changed. */
    private Set<String> save(Map<String, HistoryEntry> entries, Map<String, Exception> failed) {
        try {
            return table.saveAll(entries.values());
        } catch (SQLException | RuntimeException batchFailed) {
            LOG.debug("Saving {} entries at once failed ({}); saving them one by one", entries.size(),
                    batchFailed.toString());
        }
        Set<String> changed = new HashSet<>();
        for (Iterator<Map.Entry<String, HistoryEntry>> it = entries.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, HistoryEntry> e = it.next();
            try {
                if (table.save(e.getValue())) {
                    changed.add(e.getKey());
                }
            } catch (SQLException | RuntimeException error) {
                failed.put(e.getKey(), new IllegalStateException("store: writing session " + e.getKey()
                        + " failed: " + error.getMessage(), error));
                it.remove();
            }
        }
        return changed;
    }

    /** Entries written to the store, in all. */
    long writtenCount() {
        return written.sum();
    }

    /** Marks of written sessions and drops of users' cached lists that failed, in all. */
    long gridUpdatesFailed() {
        return gridUpdatesFailed.sum();
    }
}
