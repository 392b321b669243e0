package io.orrery.viewinghistory.internal.processor;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.orrery.viewinghistory.grid.SessionAppend;
import io.orrery.viewinghistory.grid.SessionExpiry;
import io.orrery.viewinghistory.grid.SessionState;
import io.orrery.viewinghistory.grid.SessionWritten;
import io.orrery.viewinghistory.internal.event.PlaybackEvent;
import io.orrery.viewinghistory.internal.history.EntryCalculation;
import io.orrery.viewinghistory.internal.history.HistoryCache;
import io.orrery.viewinghistory.internal.history.HistoryEntry;
import io.orrery.viewinghistory.internal.history.HistoryTable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns playback events into viewing history. Events are grouped by session and appended where the session lives
 * in the grid ({@link SessionAppend}: ordered by {@code seq}, duplicates dropped), all sessions of a batch at once;
 * a session that is closed (STOP, or idle past the gap) and changed gets its entry computed and written to the
 * store (versioned, so never duplicated nor overwritten by an older computation) and the cache, then marked
 * written in the grid. A redelivered batch finds nothing new but still writes what an interrupted run did not.
 *
 * <p>A session whose processing throws is handed back as failed, with its events; the rest of the batch goes on.
 */
public final class SessionProcessor {

    public static final String SESSIONS = "orrery.viewinghistory.sessions";
    /** The sessions of shadow mode's second path, apart from the first's so each sessionizes on its own. */
    public static final String SHADOW_SESSIONS = "orrery.viewinghistory.shadow.sessions";
    private static final Logger LOG = LoggerFactory.getLogger(SessionProcessor.class);

    /** Events of one session that could not be processed, and why. */
    public record Failure(List<PlaybackEvent> events, Exception error) {
    }

    private final IMap<String, String> sessions;
    private final HistoryTable table;
    private final HistoryCache cache;
    private final ProcessorSettings settings;
    private final Clock clock;
    private final LongAdder processed = new LongAdder();
    private final LongAdder written = new LongAdder();
    private final ProcessingRate rate = new ProcessingRate(10);

    public SessionProcessor(HazelcastInstance hazelcast, HistoryTable table, HistoryCache cache,
                            ProcessorSettings settings, Clock clock) {
        this(hazelcast, SESSIONS, table, cache, settings, clock);
    }

    /** A processor keeping its sessions in the map {@code sessionsMap} (shadow mode keeps a second set). */
    public SessionProcessor(HazelcastInstance hazelcast, String sessionsMap, HistoryTable table, HistoryCache cache,
                            ProcessorSettings settings, Clock clock) {
        this.sessions = hazelcast.getMap(sessionsMap);
        this.table = table;
        this.cache = cache;
        this.settings = settings;
        this.clock = clock;
    }

    /** Processes a batch; the sessions that failed, with their events. */
    public List<Failure> process(List<PlaybackEvent> events) {
        Map<String, List<PlaybackEvent>> bySession = new LinkedHashMap<>();
        for (PlaybackEvent e : events) {
            bySession.computeIfAbsent(e.sessionId(), k -> new ArrayList<>()).add(e);
        }
        long now = clock.millis();
        long retention = settings.retention().toSeconds();
        Map<String, CompletableFuture<String>> appended = new LinkedHashMap<>();
        bySession.forEach((session, list) -> appended.put(session, sessions.submitToKey(session,
                new SessionAppend(list.stream().map(SessionProcessor::step).toList(), now, retention))
                .toCompletableFuture()));
        List<Failure> failures = new ArrayList<>();
        List<CompletableFuture<?>> marks = new ArrayList<>();
        appended.forEach((session, future) -> {
            try {
                String state = future.join();
                if (state != null) {
                    marks.add(write(session, SessionState.parse(state)));
                }
            } catch (Exception e) {
                failures.add(new Failure(bySession.get(session), e));
            }
        });
        marks.forEach(CompletableFuture::join);
        processed.add(events.size());
        rate.record(events.size());
        return failures;
    }

    /** Closes the sessions of this member idle past the inactivity gap and writes their entries; how many. */
    public int closeIdle() {
        long cutoff = clock.millis() - settings.inactivityGap().toMillis();
        int closed = 0;
        for (String session : sessions.localKeySet()) {
            String state = sessions.executeOnKey(session, new SessionExpiry(cutoff, settings.retention().toSeconds()));
            if (state != null) {
                try {
                    write(session, SessionState.parse(state)).join();
                    closed++;
                } catch (Exception e) {
                    // Still marked unwritten in the grid: the session's next event or redelivery writes it.
                    LOG.warn("Writing idle session {} failed: {}", session, e.toString());
                }
            }
        }
        return closed;
    }

    private CompletableFuture<Boolean> write(String session, SessionState state) {
        HistoryEntry entry = EntryCalculation.of(session, state);
        try {
            if (table.save(entry)) {
                cache.written(entry);
                written.increment();
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("store: writing session " + session + " failed: " + e.getMessage(), e);
        }
        return sessions.submitToKey(session, new SessionWritten(state.version(), settings.retention().toSeconds()))
                .toCompletableFuture();
    }

    private static SessionState.Step step(PlaybackEvent e) {
        return new SessionState.Step(e.seq(), e.type(), e.positionMs(), e.clientTs(), e.userId(), e.titleId(),
                e.device());
    }

    public long processedCount() {
        return processed.sum();
    }

    /** Events processed per second, over the last ten seconds. */
    public double eventsPerSecond() {
        return rate.perSecond();
    }

    public long writtenCount() {
        return written.sum();
    }

    public long openSessions() {
        return sessions.size();
    }
}
