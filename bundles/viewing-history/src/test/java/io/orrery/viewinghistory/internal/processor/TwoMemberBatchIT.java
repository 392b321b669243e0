package io.orrery.viewinghistory.internal.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.orrery.viewinghistory.grid.SessionCodec;
import io.orrery.viewinghistory.grid.SessionState;
import io.orrery.viewinghistory.internal.PlaybackStream;
import io.orrery.viewinghistory.internal.event.EventType;
import io.orrery.viewinghistory.internal.event.PlaybackEvent;
import io.orrery.viewinghistory.internal.history.HistoryCache;
import io.orrery.viewinghistory.internal.history.HistoryTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The batched path (one append per session per wave of a batch, one store transaction per wave) on two real
 * Hazelcast members on loopback, each with its own processor, fed at once with interleaved batches of one shuffled
 * stream with duplicates: every session is appended to from both members concurrently, and the result must still be
 * the clean stream's history, once per session.
 */
class TwoMemberBatchIT {

    private static TwoMembersAndStore cluster;
    private static HazelcastInstance first;
    private static HazelcastInstance second;
    private static HistoryTable table;

    @BeforeAll
    static void start() throws Exception {
        cluster = new TwoMembersAndStore("orrery-vh-two", 2);
        first = cluster.first;
        second = cluster.second;
        table = cluster.table;
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void concurrentBatchesFromTwoMembersKeepOrderAndDedupeAndWriteEachSessionOnce() throws Exception {
        PlaybackStream stream = PlaybackStream.generate("two", 300, 20, 40, 8, 5);
        List<PlaybackEvent> shuffled = stream.shuffledWithDuplicates(0.10, 9);
        List<List<PlaybackEvent>> batches = batches(shuffled, 150);
        SessionProcessor onFirst = cluster.processorOn(first);
        SessionProcessor onSecond = cluster.processorOn(second);

        List<SessionProcessor.Failure> failures = feedAtOnce(batches, onFirst, onSecond);
        // a redelivered batch on the other member finds nothing new and duplicates nothing
        failures.addAll(onSecond.process(batches.get(0)));
        failures.addAll(onFirst.process(batches.get(1)));

        assertThat(failures).isEmpty();
        assertThat(onFirst.processedCount() + onSecond.processedCount())
                .isEqualTo(shuffled.size() + batches.get(0).size() + batches.get(1).size());
        assertThat(cluster.storedEntries(stream.users())).hasSize(300).isEqualTo(stream.expectedEntries());
        assertThat(cluster.bookmarks(stream.users())).isEqualTo(stream.expectedBookmarks());
        IMap<String, Object> sessions = first.getMap(SessionProcessor.SESSIONS);
        for (String session : stream.expectedEntries().keySet()) {
            SessionState state = SessionCodec.read(sessions.get(session));
            assertThat(state.steps()).as(session).hasSize(20);
            assertThat(state.steps()).extracting(SessionState.Step::seq).isSorted();
            assertThat(state.needsWrite()).as(session).isFalse();
            // each new event once: duplicates add nothing (the changes counted within the state's one lifetime)
            assertThat(SessionState.changes(state.version())).as(session).isEqualTo(20);
        }
    }

    @Test
    void aSessionTheStoreRefusesFailsAloneAndTheRestOfItsBatchIsWritten() {
        SessionProcessor processor = cluster.processorOn(first);
        String tooLong = "t".repeat(300); // over the column's width: the store refuses this entry only
        List<PlaybackEvent> batch = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            String title = s == 2 ? tooLong : "t" + s;
            batch.add(new PlaybackEvent("bad-s" + s + "-e0", "bad-s" + s, "bad-u", title, EventType.START, 1, 0,
                    1_000, "tv", false));
            batch.add(new PlaybackEvent("bad-s" + s + "-e1", "bad-s" + s, "bad-u", title, EventType.STOP, 2, 5_000,
                    2_000, "tv", false));
        }

        List<SessionProcessor.Failure> failures = processor.process(batch);

        assertThat(failures).singleElement().satisfies(f -> {
            assertThat(f.events()).extracting(PlaybackEvent::sessionId).containsOnly("bad-s2");
            assertThat(f.error()).hasMessageContaining("store: writing session bad-s2 failed");
        });
        assertThat(cluster.bookmarks(List.of("bad-u")).get("bad-u")).containsOnlyKeys("t0", "t1", "t3", "t4");
        IMap<String, Object> sessions = first.getMap(SessionProcessor.SESSIONS);
        assertThat(SessionCodec.read(sessions.get("bad-s2")).needsWrite()).isTrue();   // written by its retry
        assertThat(SessionCodec.read(sessions.get("bad-s3")).needsWrite()).isFalse();
    }

    @Test
    void aSessionTheGridCannotAppendToFailsAloneAndEveryOtherIsMarkedWrittenAtItsOwnVersion() {
        SessionProcessor processor = cluster.processorOn(first);
        IMap<String, Object> sessions = first.getMap(SessionProcessor.SESSIONS);
        sessions.put("grid-s3", new byte[] {9});   // a state of a format this member does not read
        List<PlaybackEvent> batch = new ArrayList<>();
        for (int s = 0; s < 12; s++) {   // spread over the two members, each with a version of its own (s + 2)
            for (int seq = 1; seq <= s + 2; seq++) {
                batch.add(new PlaybackEvent("grid-s" + s + "-e" + seq, "grid-s" + s, "grid-u", "t" + s,
                        seq == s + 2 ? EventType.STOP : EventType.HEARTBEAT, seq, seq * 1_000L, seq * 1_000L, "tv",
                        false));
            }
        }

        List<SessionProcessor.Failure> failures = processor.process(batch);

        assertThat(failures).singleElement().satisfies(f -> {
            assertThat(f.events()).extracting(PlaybackEvent::sessionId).containsOnly("grid-s3");
            assertThat(f.error()).hasMessageContaining("unknown format 9");
        });
        assertThat(cluster.bookmarks(List.of("grid-u")).get("grid-u")).hasSize(11).doesNotContainKey("t3");
        for (int s = 0; s < 12; s++) {
            if (s != 3) {
                SessionState state = SessionCodec.read(sessions.get("grid-s" + s));
                assertThat(SessionState.changes(state.version())).as("grid-s" + s).isEqualTo(s + 2);
                assertThat(state.writtenVersion()).as("grid-s" + s).isEqualTo(state.version());
            }
        }
        // Each mark set the cache's copy of its entry on the member that owns the session, the failed one's not.
        IMap<String, String> copies = second.getMap(HistoryCache.ENTRIES);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (int s = 0; s < 12; s++) {
                if (s != 3) {
                    assertThat(copies.get("grid-s" + s)).as("grid-s" + s).contains("\"sessionId\":\"grid-s" + s + "\"");
                }
            }
        });
        assertThat(copies.containsKey("grid-s3")).isFalse();
        assertThat(processor.gridUpdatesFailed()).isZero();
    }

    @Test
    void aWrittenEntryDropsItsUsersCachedListWhicheverMemberWroteIt() throws Exception {
        HistoryCache onFirst = new HistoryCache(first, table);
        List<String> users = List.of("list-u0", "list-u1", "list-u2", "list-u3");
        List<PlaybackEvent> earlier = new ArrayList<>();
        List<PlaybackEvent> later = new ArrayList<>();
        for (int u = 0; u < users.size(); u++) {
            earlier.addAll(session("list-a" + u, users.get(u)));
            later.addAll(session("list-b" + u, users.get(u)));
        }
        assertThat(cluster.processorOn(first).process(earlier)).isEmpty();
        for (String user : users) {
            assertThat(onFirst.entries(user)).hasSize(1);   // read, and so cached
        }

        assertThat(cluster.processorOn(second).process(later)).isEmpty();

        // The batch sends the drops after its store write and does not wait for them: they land within moments.
        for (String user : users) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(onFirst.entries(user)).as(user)
                    .hasSize(2));
        }
    }

    private static List<PlaybackEvent> session(String session, String user) {
        return List.of(new PlaybackEvent(session + "-e1", session, user, "t", EventType.START, 1, 0, 1_000, "tv",
                false), new PlaybackEvent(session + "-e2", session, user, "t", EventType.STOP, 2, 3_000, 4_000, "tv",
                false));
    }

    @Test
    void idleSessionsAreClosedWhereTheyLiveWrittenOnceAndCorrectedByALateEvent() throws Exception {
        MutableClock clock = new MutableClock(1_800_000_000_000L);
        ProcessorSettings settings = ProcessorSettings.defaults().withInactivityGap(Duration.ofMinutes(1));
        SessionProcessor onFirst = new SessionProcessor(first, "vh-idle", table, new HistoryCache(first, table),
                settings, clock);
        SessionProcessor onSecond = new SessionProcessor(second, "vh-idle", table, new HistoryCache(second, table),
                settings, clock);
        List<PlaybackEvent> open = new ArrayList<>();
        for (int s = 0; s < 40; s++) {
            open.add(new PlaybackEvent("idle-s" + s + "-e1", "idle-s" + s, "idle-u", "t" + s, EventType.START, 1, 0,
                    1_000, "tv", false));
            open.add(new PlaybackEvent("idle-s" + s + "-e2", "idle-s" + s, "idle-u", "t" + s, EventType.HEARTBEAT, 2,
                    4_000, 5_000, "tv", false));
        }
        assertThat(onFirst.process(open.subList(0, 40))).isEmpty();
        assertThat(onSecond.process(open.subList(40, 80))).isEmpty();
        assertThat(onFirst.closeIdle() + onSecond.closeIdle()).isZero();      // within the gap: still open
        assertThat(table.entries("idle-u")).isEmpty();

        clock.advance(Duration.ofMinutes(2));
        int closedOnFirst = onFirst.closeIdle();
        int closedOnSecond = onSecond.closeIdle();

        assertThat(closedOnFirst + closedOnSecond).isEqualTo(40);
        assertThat(closedOnFirst).isPositive();
        assertThat(closedOnSecond).isPositive();                               // each member closes its own
        assertThat(table.entries("idle-u")).hasSize(40).allSatisfy(e -> {
            assertThat(e.endedAt()).isEqualTo(5_000);
            assertThat(e.watchedMs()).isEqualTo(4_000);
        });
        assertThat(onFirst.closeIdle() + onSecond.closeIdle()).isZero();      // written once, not again

        assertThat(onSecond.process(List.of(new PlaybackEvent("idle-s7-e3", "idle-s7", "idle-u", "t7",
                EventType.STOP, 3, 6_000, 7_000, "tv", false)))).isEmpty();
        assertThat(table.entries("idle-u")).hasSize(40)
                .filteredOn(e -> e.sessionId().equals("idle-s7")).singleElement()
                .satisfies(e -> assertThat(e.endedAt()).isEqualTo(7_000));
    }

    @Test
    void idleSessionsWhoseWriteFailedAreWrittenByTheNextSweepOnceTheStoreIsBack() throws Exception {
        MutableClock clock = new MutableClock(1_800_000_000_000L);
        StoreOutage outage = new StoreOutage(cluster.store.dataSource());
        HistoryTable flaky = new HistoryTable(outage);
        ProcessorSettings settings = ProcessorSettings.defaults().withInactivityGap(Duration.ofMinutes(1));
        SessionProcessor onFirst = new SessionProcessor(first, "vh-idle-retry", flaky, new HistoryCache(first, flaky),
                settings, clock);
        SessionProcessor onSecond = new SessionProcessor(second, "vh-idle-retry", flaky,
                new HistoryCache(second, flaky), settings, clock);
        assertThat(onFirst.process(openSessions("retry", 40))).isEmpty();
        clock.advance(Duration.ofMinutes(2));

        outage.down();
        assertThat(onFirst.closeIdle() + onSecond.closeIdle()).isZero();       // closed in the grid, none written
        outage.up();
        assertThat(table.entries("retry-u")).isEmpty();

        clock.advance(Duration.ofMinutes(1));
        assertThat(onFirst.closeIdle() + onSecond.closeIdle()).isEqualTo(40);
        assertThat(table.entries("retry-u")).hasSize(40);
        assertThat(onFirst.closeIdle() + onSecond.closeIdle()).isZero();      // written once, not again
    }

    @Test
    void aStateThisMemberCannotReadIsSkippedAndEveryIdleSessionBesideItIsWrittenOnEverySweep() throws Exception {
        MutableClock clock = new MutableClock(1_800_000_000_000L);
        ProcessorSettings settings = ProcessorSettings.defaults().withInactivityGap(Duration.ofMinutes(1));
        SessionProcessor onFirst = new SessionProcessor(first, "vh-idle-unreadable", table,
                new HistoryCache(first, table), settings, clock);
        SessionProcessor onSecond = new SessionProcessor(second, "vh-idle-unreadable", table,
                new HistoryCache(second, table), settings, clock);
        IMap<String, Object> sessions = first.getMap("vh-idle-unreadable");
        String unreadable = keyInThePartitionOf("unreadable-s0");   // the same partition as an idle session
        sessions.put(unreadable, new byte[] {9});                       // a format this member does not read
        assertThat(onFirst.process(openSessions("unreadable", 40))).isEmpty();
        clock.advance(Duration.ofMinutes(2));

        assertThat(onFirst.closeIdle() + onSecond.closeIdle()).isEqualTo(40);
        assertThat(table.entries("unreadable-u")).hasSize(40);

        assertThat(onFirst.process(openSessions("unreadable-late", 40))).isEmpty();
        clock.advance(Duration.ofMinutes(2));
        assertThat(onFirst.closeIdle() + onSecond.closeIdle()).isEqualTo(40);  // the next sweep goes on alike
        assertThat(table.entries("unreadable-late-u")).hasSize(40);
        assertThat((byte[]) sessions.get(unreadable)).containsExactly(9);     // left as it was
    }

    /** Open sessions of two events each, of the user {@code prefix + "-u"}. */
    private static List<PlaybackEvent> openSessions(String prefix, int count) {
        List<PlaybackEvent> events = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            String session = prefix + "-s" + s;
            events.add(new PlaybackEvent(session + "-e1", session, prefix + "-u", "t" + s, EventType.START, 1, 0,
                    1_000, "tv", false));
            events.add(new PlaybackEvent(session + "-e2", session, prefix + "-u", "t" + s, EventType.HEARTBEAT, 2,
                    4_000, 5_000, "tv", false));
        }
        return events;
    }

    /** Another key that the grid keeps in the same partition as {@code key}. */
    private static String keyInThePartitionOf(String key) {
        int partition = first.getPartitionService().getPartition(key).getPartitionId();
        for (int n = 0; ; n++) {
            String other = "unreadable-bad-" + n;
            if (first.getPartitionService().getPartition(other).getPartitionId() == partition) {
                return other;
            }
        }
    }

    /** Odd batches on one member, even on the other, both threads released together. */
    private static List<SessionProcessor.Failure> feedAtOnce(List<List<PlaybackEvent>> batches,
                                                             SessionProcessor onFirst, SessionProcessor onSecond)
            throws Exception {
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<SessionProcessor.Failure>>> fed = new ArrayList<>();
            for (int parity = 0; parity < 2; parity++) {
                int p = parity;
                SessionProcessor processor = parity == 0 ? onFirst : onSecond;
                fed.add(threads.submit(() -> {
                    together.await();
                    List<SessionProcessor.Failure> failed = new ArrayList<>();
                    for (int i = p; i < batches.size(); i += 2) {
                        failed.addAll(processor.process(batches.get(i)));
                    }
                    return failed;
                }));
            }
            List<SessionProcessor.Failure> failures = new ArrayList<>();
            for (Future<List<SessionProcessor.Failure>> f : fed) {
                failures.addAll(f.get());
            }
            return failures;
        } finally {
            threads.shutdownNow();
        }
    }

    private static List<List<PlaybackEvent>> batches(List<PlaybackEvent> events, int size) {
        List<List<PlaybackEvent>> batches = new ArrayList<>();
        for (int i = 0; i < events.size(); i += size) {
            batches.add(events.subList(i, Math.min(events.size(), i + size)));
        }
        return batches;
    }
}
