package io.orrery.viewinghistory.internal.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orrery.api.kafka.KafkaConnection;
import io.orrery.camel.internal.NodeCamel;
import io.orrery.viewinghistory.internal.NodeConfig;
import io.orrery.viewinghistory.internal.PlaybackStream;
import io.orrery.viewinghistory.internal.PostedEvents;
import io.orrery.viewinghistory.internal.ProcessorFixture;
import io.orrery.viewinghistory.internal.history.HistoryEntry;
import io.orrery.viewinghistory.internal.node.ProcessorRoutes;
import io.orrery.viewinghistory.internal.node.ViewingHistory;
import io.orrery.viewinghistory.internal.processor.ProcessorSettings;
import io.orrery.viewinghistory.publisher.testing.KafkaBroker;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Shadow mode as the node wires it ({@link ViewingHistory} and {@link ProcessorRoutes}) on a real broker: an event
 * that fails on the request path is retried into the store users read, not into the shadow store the Kafka path
 * writes, so once the cause is gone the two stores agree; and still is after shadow mode was switched off.
 */
class ShadowModeNodeIT {

    private static final String TOPIC = "vh-shadow-node";
    private static final String SWITCH_TOPIC = "vh-shadow-switch";

    private static ProcessorFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = new ProcessorFixture(ProcessorSettings.defaults());
        fixture.broker.createTopic(TOPIC, 3);
        fixture.broker.createTopic(SWITCH_TOPIC, 3);
    }

    /** Each test compares the two stores whole: the other test's entries are not its own. */
    @BeforeEach
    void emptyStores() throws Exception {
        sql("DELETE FROM vh_entries");
        sql("DELETE FROM vh_shadow_entries");
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aRequestPathFailureIsRetriedIntoTheRequestPathsStore() throws Exception {
        PlaybackStream stream = PlaybackStream.generate("node", 10, 6, 4, 3, 13);
        try (Node node = new Node(true, TOPIC)) {
            ViewingHistory history = node.history;
            sql("ALTER TABLE vh_entries ADD CONSTRAINT vh_refuse_s4 CHECK (session_id <> 'node-s4')");
            var answer = history.intake().accept(PostedEvents.of(stream.inOrder()));
            assertThat(answer.status()).isEqualTo(200); // answered; the failed session waits for its retry

            // the Kafka path wrote node-s4 into the shadow store; the request path could not write it
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
                ShadowReport report = history.validator().validate(10);
                return report.entryMismatches() == 1 && report.listed().get(0).key().equals("node-s4");
            });
            assertThat(history.validator().last().listed().get(0).detail()).isEqualTo("missing from the primary store");
            assertThat(history.requestPathDelays().counters().get("waiting")).isPositive();

            sql("ALTER TABLE vh_entries DROP CONSTRAINT vh_refuse_s4");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                    .until(() -> history.validator().validate(10).mismatches() == 0);
            Map<String, HistoryEntry> expected = stream.expectedEntries();
            assertThat(fixture.storedEntries(stream.users())).isEqualTo(expected);
            assertThat(history.validator().last().entriesCompared()).isEqualTo(10);
        }
    }

    /**
     * Shadow mode switched off (the node's configuration changed, its component started again) while request path
     * events wait for a retry in the queue of their own that shadow mode keeps: the node without shadow mode still
     * retries them into the store users read, so switching it off strands nothing.
     */
    @Test
    void requestPathRetriesLeftWhenShadowModeIsSwitchedOffAreRetriedIntoTheStoreUsersRead() throws Exception {
        PlaybackStream stream = PlaybackStream.generate("switch", 10, 6, 4, 3, 17);
        sql("ALTER TABLE vh_entries ADD CONSTRAINT vh_refuse_switch_s4 CHECK (session_id <> 'switch-s4')");
        try (Node shadowed = new Node(true, SWITCH_TOPIC)) {
            assertThat(shadowed.history.intake().accept(PostedEvents.of(stream.inOrder())).status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> shadowed.history.requestPathDelays().counters().get("waiting") > 0);
            // the Kafka path wrote every session into the shadow store, switch-s4 too: nothing of it is read again
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
                ShadowReport report = shadowed.history.validator().validate(10);
                return report.entryMismatches() == 1 && report.listed().get(0).key().equals("switch-s4");
            });
        }
        try (Node plain = new Node(false, SWITCH_TOPIC)) {
            sql("ALTER TABLE vh_entries DROP CONSTRAINT vh_refuse_switch_s4");
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> fixture.storedEntries(stream.users()).equals(stream.expectedEntries()));
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> plain.history.requestPathRetries().counters().get("waiting") == 0);
        }
    }

    /** A node's viewing history as the node wires it, with shadow mode on or off, and its routes running. */
    private static final class Node implements AutoCloseable {
        final ViewingHistory history;
        final CamelContext camel;

        Node(boolean shadowMode, String topic) throws Exception {
            KafkaConnection kafka = new KafkaConnection() {
                @Override public String bootstrapServers() { return fixture.broker.bootstrap(); }
                @Override public boolean devBroker() { return false; }
            };
            history = new ViewingHistory(fixture.member, fixture.store, fixture.queues, kafka,
                    new SimpleMeterRegistry(), NodeConfig.of(Map.of("topic", topic, "shadowMode", shadowMode,
                            "retryBaseMillis", 100, "retryMaxMillis", 400, "maxAttempts", 200)));
            camel = NodeCamel.create(KafkaBroker.freePort(), fixture.broker.bootstrap());
            camel.start();
            camel.addRoutes(new ProcessorRoutes(history));
        }

        @Override
        public void close() {
            camel.stop();
            history.deactivate();
        }
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = fixture.store.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
