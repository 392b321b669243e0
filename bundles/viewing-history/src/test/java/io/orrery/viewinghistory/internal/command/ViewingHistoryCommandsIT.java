package io.orrery.viewinghistory.internal.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orrery.api.kafka.KafkaConnection;
import io.orrery.viewinghistory.internal.NodeConfig;
import io.orrery.viewinghistory.internal.PlaybackStream;
import io.orrery.viewinghistory.internal.PostedEvents;
import io.orrery.viewinghistory.internal.ProcessorFixture;
import io.orrery.viewinghistory.internal.node.ViewingHistory;
import io.orrery.viewinghistory.internal.processor.ProcessorSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code orrery:vh-status} and {@code orrery:vh-rollout} on viewing history built as the node builds it, on a
 * real broker, Hazelcast member, queue and store.
 */
class ViewingHistoryCommandsIT {

    private static ProcessorFixture fixture;
    private static SimpleMeterRegistry meters;

    @BeforeAll
    static void start() throws Exception {
        fixture = new ProcessorFixture(ProcessorSettings.defaults());
        meters = new SimpleMeterRegistry();
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void rolloutIsSetForTheWholeClusterAndCheckedForRange() {
        ViewingHistory one = history(Map.of("topic", "vh-cmd-rollout"));
        ViewingHistory other = history(Map.of("topic", "vh-cmd-rollout"));
        try {
            assertThat(rollout(one, null)).isEqualTo("Rollout: 100% of users through Kafka\n");
            assertThat(rollout(one, 30)).isEqualTo("Rollout: 30% of users through Kafka\n");
            // another node of the cluster routes by the same percentage
            assertThat(rollout(other, null)).isEqualTo("Rollout: 30% of users through Kafka\n");
            assertThat(other.rollout().asynchronous("anyone")).isEqualTo(
                    io.orrery.viewinghistory.internal.rest.Rollout.bucket("anyone") < 30);
            assertThatThrownBy(() -> rollout(one, 101)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("percent: must be 0 to 100, got 101");
            assertThatThrownBy(() -> rollout(one, -1)).hasMessage("percent: must be 0 to 100, got -1");
            assertThat(rollout(other, null)).isEqualTo("Rollout: 30% of users through Kafka\n");
        } finally {
            rollout(one, 100);
            one.deactivate();
            other.deactivate();
        }
    }

    /** The node's meter registry is optional: without one viewing history starts and stops all the same. */
    @Test
    void startsAndStopsWithoutAMeterRegistry() {
        ViewingHistory history = history(Map.of("topic", "vh-cmd-no-meters"), null);

        assertThatCode(history::deactivate).doesNotThrowAnyException();
    }

    /**
     * A configuration refused at activation (a region not among the regions) leaves nothing running: SCR calls no
     * deactivate for a constructor that threw, and each corrected attempt would have leaked a publisher.
     */
    @Test
    void aRefusedConfigurationLeavesNoPublisherRunning() {
        long before = publisherThreads();

        assertThatThrownBy(() -> history(Map.of("topic", "vh-cmd-bad-region", "region", "xx",
                "regions", "us=" + fixture.broker.bootstrap() + ";eu=127.0.0.1:1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("xx");
        await().atMost(Duration.ofSeconds(30)).until(() -> publisherThreads() <= before);
    }

    private static long publisherThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("orrery-vh-publisher")).count();
    }

    @Test
    void statusShowsEveryPartAndTheRateTheProcessorKeeps() throws Exception {
        fixture.broker.createTopic("vh-cmd-status", 1);
        ViewingHistory history = history(Map.of("topic", "vh-cmd-status"));
        history.rollout(0);
        try {
            String idle = status(history, false, 20);
            assertThat(idle).contains("tenant      playback\n")
                    .contains("publisher   accepted 0, sent 0 (backup 0), failed 0, dropped 0, pending 0, on primary cluster")
                    .contains("processor   consumers 1 (baseline 0 events/s each), 0 events/s, events processed 0")
                    .contains("lag         primary ")
                    .contains("rollout     0% of users through Kafka")
                    .contains("regions     one (nothing forwarded)")
                    .contains("shadow      off")
                    .contains("journal     request path: ? events held, 0 appended again at start, 0 dropped")
                    .doesNotContain("validation");
            // 200 events on the request path (rollout 0 %): the rate over the last ten whole seconds is 20/s
            PlaybackStream stream = PlaybackStream.generate("cmd", 10, 20, 5, 3, 1);
            assertThat(history.intake().accept(PostedEvents.of(stream.inOrder())).status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> status(history, false, 20).contains(", 20 events/s,"));
            assertThat(status(history, false, 20)).contains("events processed 200, entries written 10");
            // the node's first journal round appends them again (all duplicates now); none is a minute old yet
            history.requestPathRecovery().run();
            assertThat(status(history, false, 20))
                    .contains("journal     request path: 200 events held, 200 appended again at start, 0 dropped")
                    .contains("events processed 400, entries written 10");
        } finally {
            history.rollout(100);
            history.deactivate();
        }
    }

    @Test
    void statusWithShadowValidatesAndListsTheMismatches() throws Exception {
        fixture.broker.createTopic("vh-cmd-shadow", 1);
        // shadow mode with no processor consuming: the request path's store has entries the shadow store lacks
        ViewingHistory history = history(Map.of("topic", "vh-cmd-shadow", "shadowMode", true,
                "region", "us", "regions", "us=" + fixture.broker.bootstrap() + ";eu=127.0.0.1:1"));
        try {
            PlaybackStream stream = PlaybackStream.generate("cmdshadow", 3, 5, 1, 1, 2);
            assertThat(history.intake().accept(PostedEvents.of(stream.inOrder())).status()).isEqualTo(200);
            String before = status(history, false, 20);
            assertThat(before).contains("shadow      on: request path writes the primary store, 15 events processed")
                    .contains("validation  last: entries 0 of 0 differ, bookmarks 0 of 0 differ")
                    .contains("regions     this is us of [us, eu], forwarded 0 events to their home region");

            // nothing consumed the topic: every entry and bookmark of the primary store is missing from the shadow's
            long entries = count("vh_entries");
            long bookmarks = count("vh_bookmarks");
            assertThat(entries).isGreaterThanOrEqualTo(3);
            String report = status(history, true, 2);
            assertThat(report).contains("validation  now: entries " + entries + " of " + entries
                    + " differ, bookmarks " + bookmarks + " of " + bookmarks + " differ");
            assertThat(report.lines().filter(l -> l.startsWith("  entry    ")
                    && l.endsWith(": missing from the shadow store"))).hasSize(2);
            assertThat(report).contains("  ... and " + (entries + bookmarks - 2) + " more");
            assertThat(meters.get("orrery.viewinghistory.shadow.mismatches").tag("kind", "entry").gauge().value())
                    .isEqualTo(entries);
            assertThat(meters.get("orrery.viewinghistory.shadow.compared").tag("kind", "bookmark").gauge().value())
                    .isEqualTo(bookmarks);
            assertThatThrownBy(() -> status(history, true, -1)).hasMessage("--limit: must be 0 or more, got -1");
        } finally {
            history.deactivate();
        }
        // the node's gauges leave with it
        assertThat(meters.find("orrery.viewinghistory.shadow.mismatches").gauges()).isEmpty();
    }

    private static long count(String table) throws Exception {
        try (var c = fixture.store.dataSource().getConnection(); var s = c.createStatement();
             var r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static String rollout(ViewingHistory history, Integer percent) {
        VhRolloutCommand command = new VhRolloutCommand();
        command.history = history;
        command.percent = percent;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        command.out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        command.execute();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String status(ViewingHistory history, boolean shadow, int limit) throws Exception {
        VhStatusCommand command = new VhStatusCommand();
        command.history = history;
        command.shadow = shadow;
        command.limit = limit;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        command.out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        command.execute();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static ViewingHistory history(Map<String, Object> settings) {
        return history(settings, meters);
    }

    private static ViewingHistory history(Map<String, Object> settings, SimpleMeterRegistry registry) {
        KafkaConnection kafka = new KafkaConnection() {
            @Override public String bootstrapServers() { return fixture.broker.bootstrap(); }
            @Override public boolean devBroker() { return false; }
        };
        return new ViewingHistory(fixture.member, fixture.store, fixture.queues, kafka, registry,
                NodeConfig.of(settings));
    }
}
