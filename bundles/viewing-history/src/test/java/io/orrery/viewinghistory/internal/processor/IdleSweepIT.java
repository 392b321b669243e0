package io.orrery.viewinghistory.internal.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import io.orrery.viewinghistory.internal.event.EventType;
import io.orrery.viewinghistory.internal.event.PlaybackEvent;
import io.orrery.viewinghistory.internal.history.HistoryCache;
import io.orrery.viewinghistory.internal.history.HistoryTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The idle sweep on real Hazelcast members: it visits only the sessions past the inactivity gap (the sessions map's
 * index, {@link SweepIndex}), not every state the grid retains, and still closes and writes each of them once,
 * before and after a member joins and the partitions, with their index entries, move; and a member whose map predates
 * the index still sweeps every idle session.
 */
class IdleSweepIT {

    private static final long START = 1_800_000_000_000L;
    private static final ProcessorSettings SETTINGS = ProcessorSettings.defaults()
            .withInactivityGap(Duration.ofMinutes(1));

    private static TwoMembersAndStore cluster;
    private static HazelcastInstance first;
    private static HazelcastInstance second;
    private static HistoryTable table;

    @BeforeAll
    static void start() throws Exception {
        cluster = new TwoMembersAndStore("orrery-vh-sweep", 3);
        first = cluster.first;
        second = cluster.second;
        table = cluster.table;
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void aSweepVisitsOnlyTheSessionsPastTheGapAndWritesEachOnce() throws Exception {
        MutableClock clock = new MutableClock(START);
        SessionProcessor onFirst = processor(first, "vh-sweep", clock);
        SessionProcessor onSecond = processor(second, "vh-sweep", clock);
        assertThat(onFirst.process(settledSessions("settled", 600))).isEmpty();    // written at their STOP
        assertThat(onSecond.process(openSessions("idle", 30))).isEmpty();
        clock.advance(Duration.ofMinutes(2));
        assertThat(onFirst.process(openSessions("fresh", 20))).isEmpty();

        assertThat(onFirst.closeIdle() + onSecond.closeIdle()).isEqualTo(30);
        assertThat(onFirst.sweptCount() + onSecond.sweptCount()).isEqualTo(30);   // of 650 states in the grid
        assertThat(table.entries("idle-u")).hasSize(30);
        assertThat(table.entries("fresh-u")).isEmpty();

        assertThat(onFirst.closeIdle() + onSecond.closeIdle()).isZero();          // written: no longer due
        assertThat(onFirst.sweptCount() + onSecond.sweptCount()).isEqualTo(30);

        clock.advance(Duration.ofMinutes(2));
        assertThat(onFirst.closeIdle() + onSecond.closeIdle()).isEqualTo(20);
        assertThat(onFirst.sweptCount() + onSecond.sweptCount()).isEqualTo(50);
        assertThat(table.entries("fresh-u")).hasSize(20);
        assertThat(table.entries("settled-u")).hasSize(600);
    }

    @Test
    void aMemberThatJoinsSweepsTheIdleSessionsOfThePartitionsItTakesOver() throws Exception {
        MutableClock clock = new MutableClock(START);
        SessionProcessor onFirst = processor(first, "vh-sweep-join", clock);
        SessionProcessor onSecond = processor(second, "vh-sweep-join", clock);
        assertThat(onFirst.process(settledSessions("join-settled", 300))).isEmpty();
        assertThat(onFirst.process(openSessions("join-idle", 60))).isEmpty();
        clock.advance(Duration.ofMinutes(2));

        HazelcastInstance third = cluster.members.start(2);
        try {
            // Until the partitions have moved: the third member owns some, and no migration is left.
            await().atMost(Duration.ofSeconds(60)).until(() -> third.getPartitionService().getPartitions().stream()
                    .anyMatch(p -> p.getOwner() != null && p.getOwner().localMember())
                    && first.getPartitionService().isClusterSafe());
            SessionProcessor onThird = processor(third, "vh-sweep-join", clock);
            int closedOnThird = onThird.closeIdle();
            int closed = closedOnThird + onFirst.closeIdle() + onSecond.closeIdle();

            assertThat(closed).isEqualTo(60);
            assertThat(closedOnThird).isPositive();                               // from the partitions it took
            assertThat(onFirst.sweptCount() + onSecond.sweptCount() + onThird.sweptCount()).isEqualTo(60);
            assertThat(table.entries("join-idle-u")).hasSize(60);
        } finally {
            third.shutdown();
        }
    }

    @Test
    void aClusterThatRanTheMapBeforeItsIndexStillSweepsEveryIdleSession() throws Exception {
        MutableClock clock = new MutableClock(START);
        // As an earlier release did: the map in use, its states written, before any member registered the index.
        first.getMap("vh-sweep-upgrade").put("upgrade-before", new byte[] {9});
        second.getMap("vh-sweep-upgrade").size();
        SessionProcessor onFirst = processor(first, "vh-sweep-upgrade", clock);
        SessionProcessor onSecond = processor(second, "vh-sweep-upgrade", clock);
        assertThat(onFirst.process(openSessions("upgrade", 40))).isEmpty();
        clock.advance(Duration.ofMinutes(2));

        assertThat(onFirst.closeIdle() + onSecond.closeIdle()).isEqualTo(40);
        assertThat(table.entries("upgrade-u")).hasSize(40);
        assertThat(onFirst.closeIdle() + onSecond.closeIdle()).isZero();
    }

    private static SessionProcessor processor(HazelcastInstance member, String map, MutableClock clock) {
        return new SessionProcessor(member, map, table, new HistoryCache(member, table), SETTINGS, clock);
    }

    /** Sessions that start and stop in one batch: closed and written at once, then only retained. */
    private static List<PlaybackEvent> settledSessions(String prefix, int count) {
        return sessions(prefix, count, EventType.STOP, 3_000);
    }

    /** Sessions left open: a start and a heartbeat each. */
    private static List<PlaybackEvent> openSessions(String prefix, int count) {
        return sessions(prefix, count, EventType.HEARTBEAT, 4_000);
    }

    /** {@code count} sessions of two events each: a start, then {@code second} at {@code position}. */
    private static List<PlaybackEvent> sessions(String prefix, int count, EventType second, long position) {
        List<PlaybackEvent> events = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            events.add(event(prefix, s, 1, EventType.START, 0));
            events.add(event(prefix, s, 2, second, position));
        }
        return events;
    }

    private static PlaybackEvent event(String prefix, int session, int seq, EventType type, long position) {
        String id = prefix + "-s" + session;
        return new PlaybackEvent(id + "-e" + seq, id, prefix + "-u", "t" + session, type, seq, position,
                1_000 + position, "tv", false);
    }
}
