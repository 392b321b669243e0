package io.orrery.viewinghistory.internal.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orrery.api.rest.RestAnswer;
import io.orrery.api.rest.RestProblem;
import io.orrery.viewinghistory.internal.PostedEvents;
import io.orrery.viewinghistory.internal.ProcessorFixture;
import io.orrery.viewinghistory.internal.event.EventType;
import io.orrery.viewinghistory.internal.event.PlaybackEvent;
import io.orrery.viewinghistory.internal.history.HistoryCache;
import io.orrery.viewinghistory.internal.history.HistoryEntry;
import io.orrery.viewinghistory.internal.history.RequestJournal;
import io.orrery.viewinghistory.internal.processor.ProcessorSettings;
import io.orrery.viewinghistory.internal.processor.SessionProcessor;
import io.orrery.viewinghistory.internal.processor.StoreOutage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The request path (users outside the rollout) across a restart of the whole cluster, on a real Hazelcast member
 * and store: the grid loses the open sessions, whose events were answered as stored; the journal brings them back.
 */
class RequestPathRestartIT {

    private static ProcessorFixture fixture;
    private static PlaybackIntake intake;

    @BeforeAll
    static void start() throws Exception {
        fixture = new ProcessorFixture(ProcessorSettings.defaults());
        intake = new PlaybackIntake(null, fixture.requestPath(), new Rollout(() -> 0)); // every user on this path
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void anOpenSessionsEventsAreAppendedAgainWhenTheNodeStartsAndItsEntryIsWhole() throws Exception {
        assertThat(post(opening("b")).status()).isEqualTo(200);
        assertThat(fixture.storedEntries(List.of(user("b")))).isEmpty();

        restartTheCluster();
        recovery(Duration.ofMinutes(1)).run();
        assertThat(post(List.of(event("b", 5, EventType.STOP, 90_000, 230_000))).status()).isEqualTo(200);

        assertWhole(fixture.storedEntries(List.of(user("b"))).get("b"));
    }

    @Test
    void aStopAnsweredBeforeTheReplayIsCorrectedByIt() throws Exception {
        post(opening("c"));
        restartTheCluster();
        post(List.of(event("c", 5, EventType.STOP, 90_000, 230_000)));
        // the grid knew only the STOP: an entry of one event
        assertThat(fixture.storedEntries(List.of(user("c"))).get("c").startedAt()).isEqualTo(230_000L);

        recovery(Duration.ofMinutes(1)).run();

        assertWhole(fixture.storedEntries(List.of(user("c"))).get("c"));
        assertThat(fixture.storedEntries(List.of(user("c")))).hasSize(1);
    }

    @Test
    void aSessionTheGridLostWhileTheClusterStayedUpIsAppendedAgain() throws Exception {
        RequestPathRecovery recovery = recovery(Duration.ZERO);
        recovery.run(); // the node's first round, long done
        post(opening("lost"));
        // the grid loses the state (its member and the backup's died together); nothing restarts
        fixture.member.getMap(SessionProcessor.SESSIONS).delete("lost");

        recovery.run();

        assertThat(fixture.member.getMap(SessionProcessor.SESSIONS).containsKey("lost")).isTrue();
        assertThat(heldFor("lost")).isEqualTo(4);
        post(List.of(event("lost", 5, EventType.STOP, 90_000, 230_000)));
        assertWhole(fixture.storedEntries(List.of(user("lost"))).get("lost"));
        recovery.run();
        assertThat(heldFor("lost")).isZero();
    }

    @Test
    void eventsStayUntilTheStoreHoldsTheirSessionsEntry() throws Exception {
        post(opening("open"));
        post(opening("closed"));
        post(List.of(event("closed", 5, EventType.STOP, 90_000, 230_000)));
        RequestPathRecovery recovery = recovery(Duration.ZERO);

        recovery.run();

        assertThat(recovery.dropped()).isGreaterThanOrEqualTo(5); // other tests' sessions too
        assertThat(heldFor("open")).isEqualTo(4);
        assertThat(heldFor("closed")).isZero();
        // an event only just written may not be appended yet: kept whatever its session
        post(List.of(event("closed", 6, EventType.HEARTBEAT, 95_000, 235_000)));
        RequestPathRecovery patient = recovery(Duration.ofMinutes(1));
        patient.run();
        assertThat(patient.dropped()).isZero(); // nothing of this class's run is a minute old
        assertThat(heldFor("closed")).isEqualTo(1);
    }

    @Test
    void openSessionsAtTheStartOfTheOrderDoNotHideWrittenOnesBehindThem() throws Exception {
        post(opening("page-a"));
        post(opening("page-b"));
        post(opening("page-c"));
        post(List.of(event("page-c", 5, EventType.STOP, 90_000, 230_000)));
        // pages of two sessions: the first ones in the order (open, of this test or others) come round every time
        RequestPathRecovery recovery = new RequestPathRecovery(fixture.requestPath(), Duration.ZERO,
                Clock.systemUTC(), 2);
        for (int round = 0; round < 20 && heldFor("page-c") > 0; round++) {
            recovery.run();
        }
        assertThat(heldFor("page-c")).isZero();
        assertThat(heldFor("page-a")).isEqualTo(4);
        assertThat(heldFor("page-b")).isEqualTo(4);
    }

    @Test
    void aRequestTheJournalCannotTakeIsA503AndNothingOfItIsKept() throws Exception {
        StoreOutage outage = new StoreOutage(fixture.store.dataSource());
        PlaybackIntake refusing = new PlaybackIntake(null, new RequestPath(fixture.processor, fixture.delays,
                new RequestJournal(outage), Clock.systemUTC()), new Rollout(() -> 0));
        outage.down();

        assertThatThrownBy(() -> refusing.accept(PostedEvents.of(opening("refused"))))
                .isInstanceOfSatisfying(RestProblem.class, p -> assertThat(p.status()).isEqualTo(503));

        assertThat(fixture.member.getMap(SessionProcessor.SESSIONS).containsKey("refused")).isFalse();
        assertThat(heldFor("refused")).isZero();
    }

    private static void assertWhole(HistoryEntry entry) {
        // START at 100 s, watched 0-30 s and 30-60 s before the pause, 60-90 s after the resume, STOP at 230 s
        assertThat(entry).extracting(HistoryEntry::startedAt, HistoryEntry::endedAt, HistoryEntry::watchedMs,
                HistoryEntry::lastPositionMs).containsExactly(100_000L, 230_000L, 90_000L, 90_000L);
    }

    /** What a restart of every member loses: the grid's sessions and cached entries. The store keeps its tables. */
    private static void restartTheCluster() {
        fixture.member.getMap(SessionProcessor.SESSIONS).clear();
        fixture.member.getMap(SessionProcessor.LIFETIME_MAP).clear();
        fixture.member.getMap(HistoryCache.ENTRIES).clear();
    }

    /** The recovery of a node that has just started. */
    private static RequestPathRecovery recovery(Duration settleAfter) {
        return new RequestPathRecovery(fixture.requestPath(), settleAfter, Clock.systemUTC());
    }

    private static RestAnswer post(List<PlaybackEvent> events) {
        return intake.accept(PostedEvents.of(events));
    }

    private static long heldFor(String session) throws Exception {
        long[] held = {0};
        fixture.journal.readAll(100, chunk -> held[0] += chunk.stream()
                .filter(e -> e.sessionId().equals(session)).count());
        return held[0];
    }

    private static List<PlaybackEvent> opening(String session) {
        return List.of(event(session, 1, EventType.START, 0, 100_000),
                event(session, 2, EventType.HEARTBEAT, 30_000, 130_000),
                event(session, 3, EventType.PAUSE, 60_000, 160_000),
                event(session, 4, EventType.RESUME, 60_000, 200_000));
    }

    private static PlaybackEvent event(String session, long seq, EventType type, long position, long clientTs) {
        return new PlaybackEvent(session + "-e" + seq, session, user(session), session + "-t", type, seq, position,
                clientTs, "tv", false);
    }

    private static String user(String session) {
        return "journal-" + session;
    }
}
