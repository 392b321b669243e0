package io.orrery.camel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.health.ComponentHealth;
import java.lang.annotation.Annotation;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** The UP side is exercised against the real dev broker in the distribution's integration tests. */
class KafkaClusterTest {

    @Test
    void reportsDownNamingTheUnreachableBootstrapWithinTheTimeout() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        KafkaCluster kafka = new KafkaCluster();
        kafka.activate(config("127.0.0.1:" + closedPort));
        try {
            long start = System.nanoTime();
            ComponentHealth health = kafka.check();
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;

            assertThat(health.status()).isEqualTo(ComponentHealth.Status.DOWN);
            assertThat(health.component()).isEqualTo("kafka");
            assertThat((String) health.details().get("error")).contains("127.0.0.1:" + closedPort);
            assertThat(elapsedMs).isLessThan(5_000);
        } finally {
            kafka.deactivate();
        }
    }

    @Test
    void pointsAtTheDevBrokerWhenNoBootstrapServersAreConfigured() {
        KafkaCluster kafka = new KafkaCluster();
        kafka.activate(config(""));
        try {
            assertThat(kafka.devBroker()).isTrue();
            assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:19092");
        } finally {
            kafka.deactivate();
        }
    }

    private static KafkaCluster.Config config(String bootstrap) {
        return new KafkaCluster.Config() {
            @Override public String bootstrapServers() { return bootstrap; }
            @Override public int devBrokerPort() { return 19092; }
            @Override public int healthTimeoutMs() { return 1000; }
            @Override public Class<? extends Annotation> annotationType() { return KafkaCluster.Config.class; }
        };
    }
}
