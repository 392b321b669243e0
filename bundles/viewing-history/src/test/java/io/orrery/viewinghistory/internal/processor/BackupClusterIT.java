package io.orrery.viewinghistory.internal.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orrery.camel.internal.NodeCamel;
import io.orrery.viewinghistory.internal.PlaybackStream;
import io.orrery.viewinghistory.internal.ProcessorFixture;
import io.orrery.viewinghistory.internal.event.EventCodec;
import io.orrery.viewinghistory.internal.event.PlaybackEvent;
import io.orrery.viewinghistory.internal.history.HistoryEntry;
import io.orrery.viewinghistory.publisher.PlaybackPublisher;
import io.orrery.viewinghistory.publisher.PublisherCounters;
import io.orrery.viewinghistory.publisher.PublisherSettings;
import io.orrery.viewinghistory.publisher.testing.KafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The processor reads the primary and the backup cluster, two real brokers: critical events that the publisher
 * sent to the backup while the primary was down are processed during the outage, and after the primary returned
 * everything published before, during and after is in the history exactly once.
 */
class BackupClusterIT {

    private static final String TOPIC = "vh-failover";

    private static ProcessorFixture fixture;
    private static KafkaBroker backup;
    private static CamelContext camel;
    private static PlaybackPublisher publisher;

    @BeforeAll
    static void start() throws Exception {
        fixture = new ProcessorFixture(ProcessorSettings.defaults());
        backup = KafkaBroker.start();
        fixture.broker.createTopic(TOPIC, 3);
        backup.createTopic(TOPIC, 3);
        camel = NodeCamel.create(KafkaBroker.freePort(), fixture.broker.bootstrap());
        camel.start();
        camel.addRoutes(new ProcessorRoute(fixture.processor, fixture.delays,
                new ProcessorRoute.Source(TOPIC, "vh-failover", fixture.broker.bootstrap(), backup.bootstrap(), 1, 500),
                Duration.ofSeconds(1)));
        publisher = new PlaybackPublisher(PublisherSettings.of(TOPIC, fixture.broker.bootstrap(), backup.bootstrap())
                .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(1)));
    }

    @AfterAll
    static void stop() {
        if (camel != null) {
            camel.stop();
        }
        if (publisher != null) {
            publisher.close();
        }
        if (backup != null) {
            backup.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void eventsPublishedToTheBackupWhileThePrimaryIsDownAreProcessed() throws Exception {
        PlaybackStream stream = PlaybackStream.generate("fo", 90, 8, 30, 5, 23);
        Map<String, HistoryEntry> expected = stream.expectedEntries();
        List<PlaybackEvent> events = stream.inOrder();

        publish(sessions(events, 0, 30));
        await().atMost(Duration.ofSeconds(60)).until(() -> stored(expected, 0, 30));

        fixture.broker.stop();
        publish(sessions(events, 30, 60));
        await().atMost(Duration.ofSeconds(30)).until(() -> publisher.counters().onBackup());
        // processed from the backup cluster while the primary is still down
        await().atMost(Duration.ofSeconds(90)).until(() -> stored(expected, 30, 60));
        assertThat(publisher.counters().sentToBackup()).isPositive();

        fixture.broker.resume();
        await().atMost(Duration.ofSeconds(60)).until(() -> !publisher.counters().onBackup());
        publish(sessions(events, 60, 90));
        await().atMost(Duration.ofSeconds(90)).until(() -> fixture.storedEntries(stream.users()).equals(expected));

        assertThat(fixture.storedEntries(stream.users())).hasSize(90).isEqualTo(expected);
        PublisherCounters counters = publisher.counters();
        assertThat(counters.dropped()).isZero();
        assertThat(counters.failed()).isZero();
        assertThat(counters.accepted()).isEqualTo(events.size());
        // every record of both clusters committed once processed
        await().atMost(Duration.ofSeconds(30)).until(() ->
                ConsumerLag.of(fixture.broker.bootstrap(), "vh-failover", TOPIC) == 0
                        && ConsumerLag.of(backup.bootstrap(), "vh-failover", TOPIC) == 0);
    }

    /** The events of sessions {@code from} to {@code to} (exclusive), all critical. */
    private static List<PlaybackEvent> sessions(List<PlaybackEvent> events, int from, int to) {
        return events.stream().filter(e -> {
            int n = Integer.parseInt(e.sessionId().substring("fo-s".length()));
            return n >= from && n < to;
        }).map(e -> new PlaybackEvent(e.eventId(), e.sessionId(), e.userId(), e.titleId(), e.type(), e.seq(),
                e.positionMs(), e.clientTs(), e.device(), true)).toList();
    }

    private static void publish(List<PlaybackEvent> events) {
        for (PlaybackEvent e : events) {
            assertThat(publisher.publish(EventCodec.write(e), true)).isTrue();
        }
    }

    private static boolean stored(Map<String, HistoryEntry> expected, int from, int to) throws Exception {
        Set<String> sessions = java.util.stream.IntStream.range(from, to).mapToObj(n -> "fo-s" + n)
                .collect(Collectors.toSet());
        Map<String, HistoryEntry> want = expected.entrySet().stream().filter(e -> sessions.contains(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        List<String> users = want.values().stream().map(HistoryEntry::userId).distinct().toList();
        Map<String, HistoryEntry> have = fixture.storedEntries(users).entrySet().stream()
                .filter(e -> sessions.contains(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        return have.equals(want);
    }
}
