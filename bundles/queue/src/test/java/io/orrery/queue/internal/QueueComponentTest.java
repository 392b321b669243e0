package io.orrery.queue.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Annotation;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@code io.orrery.queue} configuration as the component reads it. */
class QueueComponentTest {

    private static QueueComponent.Config config(String tenantWeights, String persistence) {
        return new QueueComponent.Config() {
            @Override public Class<? extends Annotation> annotationType() { return QueueComponent.Config.class; }
            @Override public long leaseSeconds() { return 45; }
            @Override public int maxAttempts() { return 7; }
            @Override public long retryDelayMillis() { return 250; }
            @Override public int shards() { return 4; }
            @Override public String tenantWeights() { return tenantWeights; }
            @Override public String persistence() { return persistence; }
            @Override public long flushIntervalMillis() { return 200; }
            @Override public long idempotencyWindowSeconds() { return 60; }
            @Override public int idempotencyMaxPerShard() { return 1000; }
        };
    }

    @Test
    void readsEverySetting() {
        QueueOptions o = QueueComponent.optionsOf(config("acme:3, beta:1", "write-behind"));
        assertThat(o.defaults().leaseTime()).isEqualTo(Duration.ofSeconds(45));
        assertThat(o.defaults().maxAttempts()).isEqualTo(7);
        assertThat(o.defaults().retryDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(o.shards()).isEqualTo(4);
        assertThat(o.tenantWeights()).containsEntry("acme", 3).containsEntry("beta", 1);
        assertThat(o.persistence()).isEqualTo(QueueOptions.Persistence.WRITE_BEHIND);
        assertThat(o.flushInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(o.idempotencyWindow()).isEqualTo(Duration.ofSeconds(60));
        assertThat(o.maxRememberedPerShard()).isEqualTo(1000);
        assertThat(QueueComponent.optionsOf(config("", "NONE")).persistence())
                .isEqualTo(QueueOptions.Persistence.NONE);
    }

    @Test
    void newQueuesAreSizedToTheClusterUnlessConfigured() throws Exception {
        assertThat(QueueComponent.Config.class.getMethod("shards").getDefaultValue())
                .isEqualTo(QueueOptions.AUTO_SHARDS);
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> QueueComponent.optionsOf(config("", "sometimes")))
                .hasMessageStartingWith("persistence:");
        assertThatThrownBy(() -> QueueComponent.optionsOf(config("acme", "none")))
                .hasMessageStartingWith("tenantWeights:");
        assertThatThrownBy(() -> QueueComponent.optionsOf(config("acme:0", "none")))
                .hasMessageStartingWith("tenantWeights:");
    }
}
