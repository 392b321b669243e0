package io.orrery.viewinghistory.internal.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orrery.api.fault.CrashPoints;
import io.orrery.api.queue.MessageInfo;
import io.orrery.api.queue.MessageState;
import io.orrery.viewinghistory.internal.PlaybackStream;
import io.orrery.viewinghistory.internal.ProcessorFixture;
import io.orrery.viewinghistory.internal.StoredHistory;
import io.orrery.viewinghistory.internal.event.EventType;
import io.orrery.viewinghistory.internal.event.PlaybackEvent;
import io.orrery.viewinghistory.internal.history.Bookmark;
import io.orrery.viewinghistory.internal.history.HistoryCache;
import io.orrery.viewinghistory.internal.history.HistoryEntry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The processor end to end on a real broker, Hazelcast member, queue and store: a shuffled stream with duplicates
 * gives exactly the clean stream's history; poison records end dead-lettered after their retries while the rest
 * is processed; a consumer that dies between writing and committing leaves no duplicate behind; late events
 * correct an entry and move its user's bookmark only when they end the session after the bookmark's.
 */
class ProcessorIT {

    private static ProcessorFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = new ProcessorFixture(ProcessorSettings.defaults()
                .withRetries(Duration.ofMillis(50), Duration.ofMillis(400), 4));
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @AfterEach
    void disarm() {
        CrashPoints.reset();
    }

    @Test
    void shuffledStreamWithTenPercentDuplicatesGivesTheCleanStreamsHistory() throws Exception {
        String topic = "vh-shuffled";
        fixture.broker.createTopic(topic, 3);
        PlaybackStream stream = PlaybackStream.generate("shuf", 500, 20, 100, 15, 42);
        List<PlaybackEvent> shuffled = stream.shuffledWithDuplicates(0.10, 7);
        assertThat(shuffled).hasSize(11_000);
        fixture.publish(topic, shuffled);

        // the node's batches of 2,000: each read and appended in waves (SessionAppends)
        CamelContext camel = fixture.consume(topic, "vh-shuffled", 2, 2000);
        try {
            Map<String, HistoryEntry> expected = stream.expectedEntries();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> fixture.storedEntries(stream.users()).equals(expected));
            assertThat(fixture.storedEntries(stream.users())).hasSize(500).isEqualTo(expected);
            assertThat(bookmarks(stream.users())).isEqualTo(stream.expectedBookmarks());
            // the read path (the grid, else the store) answers the same
            String user = stream.users().get(0);
            assertThat(fixture.cache.entries(user)).hasSameElementsAs(fixture.table.entries(user));
            // every record was committed once processed (manual commits, per partition)
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> ConsumerLag.of(fixture.broker.bootstrap(), "vh-shuffled", topic) == 0);
        } finally {
            camel.stop();
        }
    }

    @Test
    void poisonRecordsAreDeadLetteredAfterTheirRetriesWhileTheRestIsProcessed() throws Exception {
        String topic = "vh-poison";
        fixture.broker.createTopic(topic, 3);
        PlaybackStream stream = PlaybackStream.generate("poison", 50, 20, 10, 5, 3);
        List<byte[]> records = new ArrayList<>();
        stream.inOrder().forEach(e -> records.add(io.orrery.viewinghistory.internal.event.EventCodec.write(e)));
        for (int i = 0; i < 10; i++) { // 1 %
            String poison = i % 2 == 0 ? "{\"eventId\":\"p" + i + "\", oops" : "{\"eventId\":\"p" + i + "\",\"seq\":-1}";
            records.add(i * 97, poison.getBytes(StandardCharsets.UTF_8));
        }
        fixture.publishRaw(topic, records);

        CamelContext camel = fixture.consume(topic, "vh-poison", 1);
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> fixture.storedEntries(stream.users()).equals(stream.expectedEntries()));
            await().atMost(Duration.ofSeconds(60)).until(() -> dead().size() == 10);
            for (MessageInfo dead : dead()) {
                assertThat(dead.message().attempts()).isEqualTo(3);
                assertThat(dead.lastError()).matches("(body|eventId|seq|sessionId): .*");
            }
            // orrery:dlq-replay brings them back: retried again, dead again (they are still poison)
            assertThat(fixture.queues.replayDead(fixture.delays.queue(), 100)).isEqualTo(10);
            assertThat(dead()).isEmpty();
            await().atMost(Duration.ofSeconds(60)).until(() -> dead().size() == 10);
        } finally {
            camel.stop();
        }
    }

    @Test
    void aConsumerKilledBetweenWritingAndCommittingLeavesNoDuplicate() throws Exception {
        String topic = "vh-crash";
        fixture.broker.createTopic(topic, 1);
        PlaybackStream stream = PlaybackStream.generate("crash", 100, 10, 20, 5, 11);
        fixture.publish(topic, stream.inOrder());
        AtomicBoolean crashed = new AtomicBoolean();
        CrashPoints.arm(EventBatch.BEFORE_COMMIT, (point, scope) -> {
            if (crashed.compareAndSet(false, true)) {
                throw new IllegalStateException("consumer killed at " + point);
            }
        });
        CamelContext first = fixture.consume(topic, "vh-crash", 1);
        await().atMost(Duration.ofSeconds(60)).until(crashed::get);
        first.stop();
        long writtenBefore = fixture.processor.writtenCount();
        assertThat(writtenBefore).isPositive();

        CamelContext second = fixture.consume(topic, "vh-crash", 1);
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> fixture.storedEntries(stream.users()).equals(stream.expectedEntries()));
            assertThat(fixture.storedEntries(stream.users())).hasSize(100);
        } finally {
            second.stop();
        }
    }

    /**
     * A duplicate of a written session is held where it was read until the grid says the session is settled. A full
     * batch leaves asking to the next one, a batch that ends a backlog asks itself: either way, once the stream stops
     * nothing stays held and every record is committed.
     */
    @Test
    void aDuplicateOfAWrittenSessionHoldsNoCommitOnceTheStreamStops() throws Exception {
        String topic = "vh-dup-held";
        fixture.broker.createTopic(topic, 1);
        CamelContext camel = fixture.consume(topic, "vh-dup-held", 1);
        try {
            fixture.publish(topic, List.of(dupEvent("dup-w", 1, EventType.START, 0, 1_000),
                    dupEvent("dup-w", 2, EventType.STOP, 5_000, 6_000)));
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> ConsumerLag.of(fixture.broker.bootstrap(), "vh-dup-held", topic) == 0);
            // a full batch (the fixture's 500) that begins with the duplicate, then a smaller one
            List<PlaybackEvent> more = new ArrayList<>();
            more.add(dupEvent("dup-w", 2, EventType.STOP, 5_000, 6_000));
            for (int s = 0; more.size() < 500 + 2; s++) {
                more.add(dupEvent("dup-o" + s, 1, EventType.START, 0, 10_000));
                more.add(dupEvent("dup-o" + s, 2, EventType.STOP, 1_000, 11_000));
            }
            long written = fixture.processor.writtenCount();
            fixture.publish(topic, more);
            await().atMost(Duration.ofSeconds(60)).until(() -> ConsumerLag.position(fixture.broker.bootstrap(),
                    "vh-dup-held", topic).equals(new ConsumerLag.Position(0, 0)));    // processed, none held back
            assertThat(fixture.processor.writtenCount() - written).isEqualTo((more.size() - 1) / 2);
        } finally {
            camel.stop();
        }
    }

    @Test
    void aLateEventThatEndsASessionLastMovesTheBookmarkAndOneThatEndsEarlierDoesNot() throws Exception {
        String topic = "vh-late";
        fixture.broker.createTopic(topic, 2);
        // two closed sessions of one user and title: b ended last, so the bookmark is b's
        fixture.publish(topic, List.of(event("late-a", 1, EventType.START, 0, 1_000),
                event("late-a", 3, EventType.HEARTBEAT, 4_000, 2_000), event("late-a", 5, EventType.STOP, 5_000, 3_000),
                event("late-b", 1, EventType.START, 0, 4_000), event("late-b", 3, EventType.STOP, 8_000, 6_000)));
        CamelContext camel = fixture.consume(topic, "vh-late", 1);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> fixture.table.bookmarks("late-u")
                    .equals(List.of(new Bookmark("late-t", 8_000, 6_000))));
            // a late event of a after its STOP (higher seq, later clock) ends a after b: the bookmark moves to a
            fixture.publish(topic, List.of(event("late-a", 7, EventType.HEARTBEAT, 9_000, 7_000)));
            await().atMost(Duration.ofSeconds(60)).until(() -> fixture.table.bookmarks("late-u")
                    .equals(List.of(new Bookmark("late-t", 9_000, 7_000))));
            // late events of b, one ending it later than before but before a, one inside it: b's entry is
            // corrected, the bookmark stays a's
            fixture.publish(topic, List.of(event("late-b", 5, EventType.HEARTBEAT, 12_000, 6_500),
                    event("late-b", 2, EventType.HEARTBEAT, 2_000, 5_000)));
            await().atMost(Duration.ofSeconds(60)).until(() -> endedAt("late-b") == 6_500);
            assertThat(fixture.table.bookmarks("late-u")).containsExactly(new Bookmark("late-t", 9_000, 7_000));
            assertThat(fixture.table.entries("late-u")).extracting(HistoryEntry::sessionId)
                    .containsExactly("late-a", "late-b");   // corrected, never duplicated
        } finally {
            camel.stop();
        }
    }

    /**
     * The grid's copy of a written entry leaves with its session's state: the cache holds one copy per session, and
     * one kept for ever per session ever watched would fill the members.
     */
    @Test
    void aWrittenEntrysCopyInTheGridExpiresWithItsSessionState() {
        List<SessionProcessor.Failure> failed = fixture.processor.process(List.of(
                event("ttl-a", 1, EventType.START, 0, 1_000), event("ttl-a", 2, EventType.STOP, 5_000, 2_000)));

        assertThat(failed).isEmpty();
        // set by the session's mark, which the batch sends and does not wait for
        var copy = await().atMost(Duration.ofSeconds(10))
                .until(() -> fixture.member.getMap(HistoryCache.ENTRIES).getEntryView("ttl-a"), v -> v != null);
        assertThat(copy.getTtl()).isEqualTo(fixture.settings.retention().toMillis());
    }

    /**
     * A session's state lost (past its retention, or with the whole cluster) while late events of the session still
     * come: they start a new state knowing only themselves, whose entry must complete the stored one, never replace
     * it. a's late heartbeats fall inside it (its start, watched time, end and bookmark stay); b's run past its STOP
     * (its end and bookmark move, its start and watched time stay); later events of the new states still keep what
     * the lost states knew; a's hidden flag survives. The clocks are a month back, so the sweep leaves the sessions
     * of the other tests, changed at the real time, alone.
     */
    @Test
    void lateEventsAfterTheSessionsStateWasLostCompleteItsEntryAndNeverReplaceIt() throws Exception {
        long day0 = Instant.now().minus(Duration.ofDays(30)).toEpochMilli();
        long day3 = day0 + Duration.ofDays(3).toMillis();   // past the retention of day 0's states
        assertThat(at(day0).process(List.of(lost("lost-a", 1, EventType.START, 0, 1_000),
                lost("lost-a", 4, EventType.STOP, 60_000, 61_000), lost("lost-b", 1, EventType.START, 0, 1_000),
                lost("lost-b", 3, EventType.STOP, 30_000, 31_000)))).isEmpty();
        assertThat(fixture.table.hide("lost-u", "lost-a")).isTrue();
        HistoryEntry a = lostEntry("lost-a");
        assertThat(a).extracting(HistoryEntry::startedAt, HistoryEntry::endedAt, HistoryEntry::watchedMs,
                HistoryEntry::lastPositionMs, HistoryEntry::hidden).containsExactly(1_000L, 61_000L, 60_000L, 60_000L,
                true);
        fixture.member.getMap(SessionProcessor.SESSIONS).delete("lost-a");
        fixture.member.getMap(SessionProcessor.SESSIONS).delete("lost-b");

        assertThat(at(day3).process(List.of(lost("lost-a", 2, EventType.HEARTBEAT, 20_000, 21_000),
                lost("lost-a", 3, EventType.HEARTBEAT, 40_000, 41_000),
                lost("lost-b", 5, EventType.HEARTBEAT, 40_000, 41_000),
                lost("lost-b", 6, EventType.HEARTBEAT, 50_000, 51_000)))).isEmpty();
        assertThat(at(day3 + Duration.ofMinutes(2).toMillis()).closeIdle()).isEqualTo(2);

        assertThat(lostEntry("lost-a")).usingRecursiveComparison().ignoringFields("version").isEqualTo(a);
        assertThat(lostEntry("lost-b")).extracting(HistoryEntry::startedAt, HistoryEntry::endedAt,
                HistoryEntry::watchedMs, HistoryEntry::lastPositionMs).containsExactly(1_000L, 51_000L, 30_000L,
                50_000L);
        assertThat(fixture.table.bookmarks("lost-u")).containsExactly(new Bookmark("lost-a-t", 60_000, 61_000),
                new Bookmark("lost-b-t", 50_000, 51_000));

        // the new states, closed, take one more event each: written at once, still on top of the old entries
        assertThat(at(day3 + Duration.ofMinutes(3).toMillis()).process(List.of(
                lost("lost-a", 5, EventType.HEARTBEAT, 70_000, 71_000),
                lost("lost-b", 7, EventType.HEARTBEAT, 55_000, 56_000)))).isEmpty();
        assertThat(lostEntry("lost-a")).extracting(HistoryEntry::startedAt, HistoryEntry::endedAt,
                HistoryEntry::watchedMs, HistoryEntry::lastPositionMs, HistoryEntry::hidden).containsExactly(1_000L,
                71_000L, 60_000L, 70_000L, true);
        assertThat(lostEntry("lost-b")).extracting(HistoryEntry::startedAt, HistoryEntry::endedAt,
                HistoryEntry::watchedMs, HistoryEntry::lastPositionMs).containsExactly(1_000L, 56_000L, 30_000L,
                55_000L);
        assertThat(fixture.table.entries("lost-u")).hasSize(2);   // completed, never duplicated
    }

    /** A processor on the fixture's grid and store whose clock stands at {@code millis}; a minute's gap. */
    private static SessionProcessor at(long millis) {
        return new SessionProcessor(fixture.member, fixture.table, fixture.cache,
                fixture.settings.withInactivityGap(Duration.ofMinutes(1)),
                Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC));
    }

    private static PlaybackEvent lost(String session, long seq, EventType type, long position, long clientTs) {
        return new PlaybackEvent(session + "-e" + seq, session, "lost-u", session + "-t", type, seq, position,
                clientTs, "tv", false);
    }

    private static HistoryEntry lostEntry(String session) throws Exception {
        return fixture.table.entries("lost-u").stream().filter(e -> e.sessionId().equals(session)).findFirst()
                .orElseThrow();
    }

    private static PlaybackEvent event(String session, long seq, EventType type, long position, long clientTs) {
        return new PlaybackEvent(session + "-e" + seq, session, "late-u", "late-t", type, seq, position, clientTs,
                "tv", false);
    }

    private static PlaybackEvent dupEvent(String session, long seq, EventType type, long position, long clientTs) {
        return new PlaybackEvent(session + "-e" + seq, session, "dup-u", "dup-t", type, seq, position, clientTs,
                "tv", false);
    }

    private static long endedAt(String session) throws Exception {
        return fixture.table.entries("late-u").stream().filter(e -> e.sessionId().equals(session))
                .mapToLong(HistoryEntry::endedAt).findFirst().orElse(-1);
    }

    private static List<MessageInfo> dead() {
        return fixture.queues.browse(fixture.delays.queue(), MessageState.DEAD, 100);
    }

    private static Map<String, Map<String, Bookmark>> bookmarks(List<String> users) throws Exception {
        return StoredHistory.bookmarks(fixture.table, users);
    }
}
