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
import org.junit.jupiter.api.Test;

/**
 * Shadow mode switched off (the node's configuration changed, its component started again) while request path
 * events wait for a retry in the queue of their own that shadow mode keeps: the node without shadow mode still
 * retries them into the store users read, so switching it off strands nothing.
 */
class ShadowModeSwitchIT {

    private static final String TOPIC = "vh-shadow-switch";

    private static ProcessorFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = new ProcessorFixture(ProcessorSettings.defaults());
        fixture.broker.createTopic(TOPIC, 3);
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void requestPathRetriesLeftWhenShadowModeIsSwitchedOffAreRetriedIntoTheStoreUsersRead() throws Exception {
        PlaybackStream stream = PlaybackStream.generate("switch", 10, 6, 4, 3, 17);
        sql("ALTER TABLE vh_entries ADD CONSTRAINT vh_refuse_s4 CHECK (session_id <> 'switch-s4')");
        Node shadowed = new Node(true);
        try {
            assertThat(shadowed.history.intake().accept(PostedEvents.of(stream.inOrder())).status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> shadowed.history.requestPathDelays().counters().get("waiting") > 0);
        } finally {
            shadowed.close();
        }

        Node plain = new Node(false);
        try {
            sql("ALTER TABLE vh_entries DROP CONSTRAINT vh_refuse_s4");
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> fixture.storedEntries(stream.users()).equals(stream.expectedEntries()));
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> plain.history.requestPathRetries().counters().get("waiting") == 0);
        } finally {
            plain.close();
        }
    }

    /** A node's viewing history as the node wires it, with shadow mode on or off, and its routes running. */
    private static final class Node implements AutoCloseable {
        final ViewingHistory history;
        final CamelContext camel;

        Node(boolean shadowMode) throws Exception {
            KafkaConnection kafka = new KafkaConnection() {
                @Override public String bootstrapServers() { return fixture.broker.bootstrap(); }
                @Override public boolean devBroker() { return false; }
            };
            history = new ViewingHistory(fixture.member, fixture.store, fixture.queues, kafka,
                    new SimpleMeterRegistry(), NodeConfig.of(Map.of("topic", TOPIC, "shadowMode", shadowMode,
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
