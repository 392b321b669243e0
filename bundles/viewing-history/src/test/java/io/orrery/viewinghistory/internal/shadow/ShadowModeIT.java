package io.orrery.viewinghistory.internal.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orrery.camel.internal.NodeCamel;
import io.orrery.viewinghistory.internal.PlaybackStream;
import io.orrery.viewinghistory.internal.PostedEvents;
import io.orrery.viewinghistory.internal.ProcessorFixture;
import io.orrery.viewinghistory.internal.event.EventType;
import io.orrery.viewinghistory.internal.event.PlaybackEvent;
import io.orrery.viewinghistory.internal.history.HistoryCache;
import io.orrery.viewinghistory.internal.history.HistoryEntry;
import io.orrery.viewinghistory.internal.history.HistoryTable;
import io.orrery.viewinghistory.internal.processor.ProcessorRoute;
import io.orrery.viewinghistory.internal.processor.ProcessorSettings;
import io.orrery.viewinghistory.internal.processor.SessionProcessor;
import io.orrery.viewinghistory.internal.rest.PlaybackIntake;
import io.orrery.viewinghistory.internal.rest.Rollout;
import io.orrery.viewinghistory.publisher.PlaybackPublisher;
import io.orrery.viewinghistory.publisher.PublisherSettings;
import io.orrery.viewinghistory.publisher.testing.KafkaBroker;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Shadow mode end to end on a real broker: every posted event is processed on the request path into the primary
 * store and published to Kafka, whose processor writes the shadow store. On clean data (shuffled, with duplicates)
 * the validator finds no mismatch; on data corrupted on purpose, in either store or on one path only, it counts
 * and lists exactly the corrupted keys.
 */
class ShadowModeIT {

    private static final String TOPIC = "vh-shadow";

    private static ProcessorFixture fixture;
    private static PlaybackPublisher publisher;
    private static CamelContext camel;
    private static HistoryTable shadowTable;
    private static PlaybackIntake intake;
    private static ShadowValidator validator;

    @BeforeAll
    static void start() throws Exception {
        fixture = new ProcessorFixture(ProcessorSettings.defaults());
        fixture.broker.createTopic(TOPIC, 3);
        shadowTable = new HistoryTable(fixture.store.dataSource(), HistoryTable.SHADOW);
        SessionProcessor shadowProcessor = new SessionProcessor(fixture.member, SessionProcessor.SHADOW_SESSIONS,
                shadowTable, HistoryCache.shadow(fixture.member, shadowTable), fixture.settings, Clock.systemUTC());
        publisher = new PlaybackPublisher(PublisherSettings.of(TOPIC, fixture.broker.bootstrap(), ""));
        // a rollout of 37 %: shadow mode sends every user both ways regardless
        intake = new PlaybackIntake(publisher, fixture.requestPath(), new Rollout(() -> 37), true, null);
        validator = new ShadowValidator(fixture.table, shadowTable);
        camel = NodeCamel.create(KafkaBroker.freePort(), fixture.broker.bootstrap());
        camel.start();
        camel.addRoutes(new ProcessorRoute(shadowProcessor, fixture.delays,
                new ProcessorRoute.Source(TOPIC, "vh-shadow", fixture.broker.bootstrap(), null, 2, 500),
                Duration.ofSeconds(1)));
    }

    @AfterAll
    static void stop() {
        if (camel != null) {
            camel.stop();
        }
        if (publisher != null) {
            publisher.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void cleanDataShowsNoMismatch() throws Exception {
        PlaybackStream stream = PlaybackStream.generate("clean", 200, 10, 40, 8, 5);
        post(stream.shuffledWithDuplicates(0.10, 9));

        awaitAgreement();
        // both stores hold exactly the clean stream's history, each computed by its own path
        Map<String, HistoryEntry> expected = stream.expectedEntries();
        assertThat(fixture.storedEntries(stream.users())).isEqualTo(expected);
        assertThat(entries(shadowTable, stream.users())).isEqualTo(expected);
        ShadowReport report = validator.validate(100);
        assertThat(report.entriesCompared()).isGreaterThanOrEqualTo(200);
        assertThat(report.bookmarksCompared()).isPositive();
        assertThat(report.listed()).isEmpty();
    }

    @Test
    void corruptedDataShowsExactlyTheInjectedMismatches() throws Exception {
        PlaybackStream stream = PlaybackStream.generate("bad", 60, 8, 12, 4, 17);
        post(stream.inOrder());
        awaitAgreement();
        long comparedBefore = validator.last().entriesCompared();

        List<PlaybackEvent> events = stream.inOrder();
        String a = "bad-s3";
        String b = "bad-s7";
        String c = "bad-s11";
        String d = "bad-s19";
        String e = "bad-s23";
        // a bookmark of a user none of the sessions above belongs to (users are s % 12)
        PlaybackEvent bookmarked = first(events, "bad-s30");
        // bookmarks are derived from the entries: an entry deleted from one store drops or moves the bookmark it
        // is the source of there, so that bookmark differs too
        Set<String> bookmarks = new TreeSet<>(Set.of("BOOKMARK " + bookmarked.userId() + "/" + bookmarked.titleId()));
        for (String[] deleted : new String[][] {{c, "vh_bookmarks"}, {e, "vh_shadow_bookmarks"}}) {
            PlaybackEvent of = first(events, deleted[0]);
            if (bookmarkSource(deleted[1], of).equals(deleted[0])) {
                bookmarks.add("BOOKMARK " + of.userId() + "/" + of.titleId());
            }
        }
        sql("UPDATE vh_shadow_entries SET watched_ms = watched_ms + 1 WHERE session_id IN ('" + a + "', '" + b + "')");
        sql("DELETE FROM vh_entries WHERE session_id = '" + c + "'");
        sql("DELETE FROM vh_shadow_entries WHERE session_id = '" + e + "'");
        // the shadow entry a bookmark comes from, corrupted, is a mismatch of both kinds
        String source = bookmarkSource("vh_shadow_bookmarks", bookmarked);
        sql("UPDATE vh_shadow_entries SET last_position_ms = last_position_ms + 5 WHERE session_id = '" + source + "'");
        // one path only: a late event of d through Kafka, never seen by the request path (seq 2 is free, between
        // the START at 1 and the next at 4), far ahead so the session's watched time changes
        PlaybackEvent start = events.stream().filter(x -> x.sessionId().equals(d)).findFirst().orElseThrow();
        fixture.publish(TOPIC, List.of(new PlaybackEvent(d + "-late", d, start.userId(), start.titleId(),
                EventType.HEARTBEAT, 2, start.positionMs() + 10_000_000, start.clientTs() + 1, start.device(), false)));

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> validator.validate(100).entryMismatches() == 6);
        ShadowReport report = validator.validate(100);
        assertThat(report.entryMismatches()).isEqualTo(6);
        assertThat(report.bookmarkMismatches()).isEqualTo(bookmarks.size());
        assertThat(report.entriesCompared()).isEqualTo(comparedBefore);
        Map<String, String> details = report.listed().stream().collect(Collectors.toMap(
                m -> m.kind() + " " + m.key(), ShadowReport.Mismatch::detail));
        Set<String> listed = new TreeSet<>(bookmarks);
        listed.addAll(Set.of("ENTRY " + a, "ENTRY " + b, "ENTRY " + c, "ENTRY " + d, "ENTRY " + e, "ENTRY " + source));
        assertThat(details.keySet()).isEqualTo(listed);
        assertThat(details.get("ENTRY " + a)).startsWith("watchedMs ").contains("(primary) vs");
        assertThat(details.get("ENTRY " + c)).isEqualTo("missing from the primary store");
        assertThat(details.get("ENTRY " + e)).isEqualTo("missing from the shadow store");
        assertThat(details.get("ENTRY " + d)).startsWith("watchedMs ");
        assertThat(details.get("ENTRY " + source)).startsWith("lastPositionMs ");
        assertThat(details.get("BOOKMARK " + bookmarked.userId() + "/" + bookmarked.titleId()))
                .startsWith("positionMs ");
        // a smaller listing still counts every mismatch
        ShadowReport two = validator.validate(2);
        assertThat(two.listed()).hasSize(2);
        assertThat(two.mismatches()).isEqualTo(6 + bookmarks.size());
        // repaired (this stream's rows gone from both sets), the stores agree again
        for (String table : List.of("vh_entries", "vh_shadow_entries")) {
            sql("DELETE FROM " + table + " WHERE session_id LIKE 'bad-%'");
        }
        assertThat(validator.validate(100).mismatches()).isZero();
    }

    private static void post(List<PlaybackEvent> events) {
        for (int from = 0; from < events.size(); from += 100) {
            List<PlaybackEvent> batch = events.subList(from, Math.min(events.size(), from + 100));
            var answer = intake.accept(PostedEvents.of(batch));
            assertThat(answer.status()).isEqualTo(200); // after the request path's store write
            PlaybackIntake.Receipt receipt = (PlaybackIntake.Receipt) answer.body();
            assertThat(receipt.processed()).isEqualTo(batch.size());
            assertThat(receipt.dropped()).isZero();
        }
    }

    private static void awaitAgreement() {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                .until(() -> validator.validate(0).mismatches() == 0);
    }

    private static Map<String, HistoryEntry> entries(HistoryTable table, List<String> users) throws Exception {
        Map<String, HistoryEntry> all = new HashMap<>();
        for (String user : users) {
            for (HistoryEntry x : table.entries(user)) {
                all.put(x.sessionId(), new HistoryEntry(x.sessionId(), x.userId(), x.titleId(), x.device(),
                        x.startedAt(), x.endedAt(), x.watchedMs(), x.lastPositionMs(), x.hidden(), 0));
            }
        }
        return all;
    }

    private static PlaybackEvent first(List<PlaybackEvent> events, String session) {
        return events.stream().filter(x -> x.sessionId().equals(session)).findFirst().orElseThrow();
    }

    /** The session a user's bookmark for the event's title comes from, in a bookmarks view. */
    private static String bookmarkSource(String view, PlaybackEvent of) throws Exception {
        try (Connection c = fixture.store.dataSource().getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT session_id FROM " + view + " WHERE user_id = ? AND title_id = ?")) {
            s.setString(1, of.userId());
            s.setString(2, of.titleId());
            try (ResultSet r = s.executeQuery()) {
                assertThat(r.next()).as("a bookmark of " + of.userId() + "/" + of.titleId()).isTrue();
                return r.getString(1);
            }
        }
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = fixture.store.dataSource().getConnection(); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate(statement)).isPositive();
        }
    }
}
