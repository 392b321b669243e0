package io.orrery.viewinghistory.internal.processor;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.PartitionService;
import io.orrery.viewinghistory.grid.SessionAppend;
import io.orrery.viewinghistory.grid.SessionCodec;
import io.orrery.viewinghistory.grid.SessionExpiry;
import io.orrery.viewinghistory.grid.SessionSettled;
import io.orrery.viewinghistory.grid.SessionState;
import io.orrery.viewinghistory.internal.event.PlaybackEvent;
import io.orrery.viewinghistory.internal.history.HistoryCache;
import io.orrery.viewinghistory.internal.history.HistoryTable;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns playback events into viewing history. Events are grouped by session and appended where the session lives
 * in the grid ({@link SessionAppend}: ordered by {@code seq}, duplicates dropped), in waves sent as the batch is read
 * ({@link SessionAppends}); the sessions that are closed (STOP, or idle past the gap) and changed get their entries
 * written ({@link EntryWriter}: to the store, one transaction per wave, then marked in the grid). A redelivered
 * batch finds nothing new but still writes what an interrupted run did not.
 *
 * <p>A session whose processing throws is handed back as failed, with its events; the rest of the batch goes on.
 */
public final class SessionProcessor {

    public static final String SESSIONS = "orrery.viewinghistory.sessions";
    /** The sessions of shadow mode's second path, apart from the first's so each sessionizes on its own. */
    public static final String SHADOW_SESSIONS = "orrery.viewinghistory.shadow.sessions";
    /** Per sessions map, the id of the grid lifetime its states belong to ({@link #gridLifetime}). */
    public static final String LIFETIME_MAP = "orrery.viewinghistory.lifetimes";
    private static final Logger LOG = LoggerFactory.getLogger(SessionProcessor.class);

    /** Events of one session that could not be processed, and why. */
    public record Failure(List<PlaybackEvent> events, Exception error) {
    }

    /** What a batch came to: the sessions that failed, and those whose entry the store now holds. */
    public record Outcome(List<Failure> failures, Set<String> written) {
    }

    private final HazelcastInstance hazelcast;
    private final String sessionsMap;
    private final IMap<String, Object> sessions;
    private final SweepIndex sweep;
    private final PartitionService partitions;
    private final EntryWriter writer;
    private final ProcessorSettings settings;
    private final Clock clock;
    private final LongAdder processed = new LongAdder();
    private final LongAdder readAgain = new LongAdder();
    private final LongAdder swept = new LongAdder();
    private final ProcessingRate rate = new ProcessingRate(10);

    public SessionProcessor(HazelcastInstance hazelcast, HistoryTable table, HistoryCache cache,
                            ProcessorSettings settings, Clock clock) {
        this(hazelcast, SESSIONS, table, cache, settings, clock);
    }

    /** A processor keeping its sessions in the map {@code sessionsMap} (shadow mode keeps a second set). */
    public SessionProcessor(HazelcastInstance hazelcast, String sessionsMap, HistoryTable table, HistoryCache cache,
                            ProcessorSettings settings, Clock clock) {
        this.hazelcast = hazelcast;
        this.sessionsMap = sessionsMap;
        this.sweep = SweepIndex.on(hazelcast, sessionsMap);
        this.sessions = sweep.sessions();
        this.partitions = hazelcast.getPartitionService();
        this.writer = new EntryWriter(sessions, table, cache, settings.retention());
        this.settings = settings;
        this.clock = clock;
    }

    /** Processes a batch; the sessions that failed, with their events. */
    public List<Failure> process(List<PlaybackEvent> events) {
        return processBatch(events).failures();
    }

    /** Processes a batch: the sessions that failed, with their events, and those it wrote. */
    public Outcome processBatch(List<PlaybackEvent> events) {
        SessionAppends appends = appends();
        events.forEach(appends::add);
        return finish(appends);
    }

    /** A batch to add events to: sent to the grid in waves as they come ({@link SessionAppends}). */
    public SessionAppends appends() {
        return appends(SessionAppends.WAVE_EVENTS);
    }

    SessionAppends appends(int waveEvents) {
        return new SessionAppends(sessions, writer, clock.millis(), settings.retention().toSeconds(), waveEvents);
    }

    /** Finishes a batch: the sessions that failed, with their events, and those it wrote. */
    public Outcome finish(SessionAppends appends) {
        Outcome outcome = appends.finish();
        processed.add(appends.events());
        rate.record(appends.events());
        return outcome;
    }

    /**
     * Asks the grid which of these sessions the store does not hold all events of yet (open, or closed and not
     * written), as the grid knows them when the calls run. A session the grid holds no state of is settled: never
     * seen, past its retention, or lost with its members (which {@link #onLostPartitions} tells of).
     */
    public CompletableFuture<Set<String>> unsettled(Collection<String> sessionIds) {
        return askHeld(sessionIds).thenApply(held -> {
            Set<String> unsettled = new HashSet<>();
            held.forEach((session, settled) -> {
                if (!settled) {
                    unsettled.add(session);
                }
            });
            return unsettled;
        });
    }

    /**
     * Of these sessions, those the grid holds a state of, each with whether the store holds all its events
     * ({@link SessionSettled}, one call per partition, all sent at once).
     */
    public Map<String, Boolean> held(Collection<String> sessionIds) {
        return askHeld(sessionIds).join();
    }

    private CompletableFuture<Map<String, Boolean>> askHeld(Collection<String> sessionIds) {
        List<CompletableFuture<Map<String, Boolean>>> asked = new ArrayList<>();
        for (Set<String> group : PartitionGroups.of(sessionIds, partitions)) {     // all sent at once
            asked.add(sessions.submitToKeys(group, new SessionSettled()).toCompletableFuture());
        }
        return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).thenApply(all -> {
            Map<String, Boolean> held = new HashMap<>();
            for (CompletableFuture<Map<String, Boolean>> answer : asked) {
                answer.join().forEach((session, settled) -> {
                    if (settled != null) {
                        held.put(session, settled);
                    }
                });
            }
            return held;
        });
    }

    /**
     * Has {@code lost} told the id of each grid partition of this processor's sessions that is lost while the cluster
     * stays up (its owner and every backup gone with their members): the open sessions that lived there lost their
     * events. The id of the registration, to {@link #ignoreLostPartitions remove} it with.
     */
    public UUID onLostPartitions(IntConsumer lost) {
        return sessions.addPartitionLostListener(event -> lost.accept(event.getPartitionId()));
    }

    public void ignoreLostPartitions(UUID registration) {
        sessions.removePartitionLostListener(registration);
    }

    /** The grid partition a session's state lives in. */
    public int gridPartition(String sessionId) {
        return partitions.getPartition(sessionId).getPartitionId();
    }

    /**
     * The grid's lifetime: an id drawn when the cluster first needs it, so a new one after a restart of the whole
     * cluster. A partition processed under another lifetime (or with no lifetime named) must be read again.
     */
    public String gridLifetime() {
        IMap<String, String> lifetimes = hazelcast.getMap(LIFETIME_MAP);
        String drawn = UUID.randomUUID().toString();
        String held = lifetimes.putIfAbsent(sessionsMap, drawn);
        return held == null ? drawn : held;
    }

    /**
     * Ends the grid's lifetime {@code lifetime} (unless another member did already): after a loss of some of its
     * partitions, what was processed under it may be gone, so a partition taken over from now on is processed again.
     */
    public void endLifetime(String lifetime) {
        IMap<String, String> lifetimes = hazelcast.getMap(LIFETIME_MAP);
        lifetimes.replace(sessionsMap, lifetime, UUID.randomUUID().toString());
    }

    /**
     * Closes the sessions of this member idle past the inactivity gap and writes their entries, with those of the
     * sessions closed before the gap whose entry is not written yet; how many it wrote. Visits only the sessions
     * the index says are past the cutoff ({@link SweepIndex}), with one call per partition ({@link PartitionGroups});
     * each is judged again from its state's header ({@link SessionExpiry}), as it may have changed since.
     */
    public int closeIdle() {
        long cutoff = clock.millis() - settings.inactivityGap().toMillis();
        Set<String> local = sweep.due(cutoff);
        swept.add(local.size());
        if (local.isEmpty()) {
            return 0;
        }
        SessionExpiry expiry = new SessionExpiry(cutoff, settings.retention().toSeconds());
        List<CompletableFuture<Map<String, byte[]>>> sweeps = new ArrayList<>();
        for (Set<String> group : PartitionGroups.of(local, partitions)) {     // all sent at once
            sweeps.add(sessions.submitToKeys(group, expiry).toCompletableFuture());
        }
        Map<String, SessionState> closed = new LinkedHashMap<>();
        for (CompletableFuture<Map<String, byte[]>> sweep : sweeps) {
            collect(sweep, closed);
        }
        // A session that fails stays closed and unwritten in the grid: the next sweep hands it out again.
        EntryWriter.Written outcome = writer.write(closed);
        outcome.failed().forEach((session, e) -> LOG.warn("Writing idle session {} failed: {}", session,
                e.toString()));
        try {
            outcome.gridUpdates().join();
        } catch (CompletionException alreadyLogged) {
            // counted and logged as each failed; the next sweep finds those sessions due again
        }
        return closed.size() - outcome.failed().size();
    }

    /**
     * Adds the states one partition's sweep answered. A partition whose sweep failed (its member left mid-call, or
     * runs an earlier release that fails on a state it cannot read) or a state this member cannot read is skipped,
     * and logged: the others are written all the same, and what was skipped stays unwritten in the grid for the next
     * sweep.
     */
    private static void collect(CompletableFuture<Map<String, byte[]>> sweep, Map<String, SessionState> closed) {
        Map<String, byte[]> states;
        try {
            states = sweep.join();
        } catch (CompletionException | CancellationException e) {
            LOG.warn("Sweeping idle sessions of a partition failed; the next sweep tries again: {}",
                    SessionAppends.unwrap(e).toString());
            return;
        }
        states.forEach((session, state) -> {
            if (state != null) {
                try {
                    closed.put(session, SessionCodec.read(state));
                } catch (IllegalArgumentException unreadable) {
                    LOG.warn("Idle sweep: left session {} alone: {}", session, unreadable.getMessage());
                }
            }
        });
    }

    /** How long the grid keeps a session's state after its last change. */
    public Duration retention() {
        return settings.retention();
    }

    public long processedCount() {
        return processed.sum();
    }

    /** Events processed per second, over the last ten seconds. */
    public double eventsPerSecond() {
        return rate.perSecond();
    }

    public long writtenCount() {
        return writer.writtenCount();
    }

    /** How many times a Kafka partition was read again for what the grid lost with its members. */
    public long partitionsReadAgain() {
        return readAgain.sum();
    }

    /** Sessions the idle sweeps of this processor visited, in all. */
    public long sweptCount() {
        return swept.sum();
    }

    /** Marks of written sessions and drops of users' cached lists that failed (made up for later: EntryWriter). */
    public long gridUpdatesFailed() {
        return writer.gridUpdatesFailed();
    }

    void countPartitionReadAgain() {
        readAgain.increment();
    }

    public long openSessions() {
        return sessions.size();
    }
}
