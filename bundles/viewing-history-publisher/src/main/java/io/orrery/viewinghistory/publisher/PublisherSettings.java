package io.orrery.viewinghistory.publisher;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link PlaybackPublisher} publishes.
 *
 * @param topic            the topic every event goes to (non-keyed: the publisher picks the partition)
 * @param primary          bootstrap servers of the primary cluster
 * @param backup           bootstrap servers of the backup cluster for critical events, or empty for none
 * @param bufferCapacity   events accepted but not yet acknowledged by a broker, at most: the worst-case loss when
 *                         this process dies, and the point beyond which new events are dropped (and counted)
 * @param deliveryTimeout  how long one send may take before the cluster it went to counts as unreachable
 * @param probeInterval    how often, while on the backup, the primary is probed to switch back
 * @param criticalAttempts sends of one critical event (across both clusters) before it counts as failed
 * @param producer         further kafka-clients producer properties (compression, batch size, ...)
 */
public record PublisherSettings(String topic, String primary, String backup, int bufferCapacity,
                                Duration deliveryTimeout, Duration probeInterval, int criticalAttempts,
                                Map<String, String> producer) {

    public PublisherSettings {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(primary, "primary");
        backup = backup == null ? "" : backup.trim();
        if (primary.isBlank()) {
            throw new IllegalArgumentException("primary: bootstrap servers are required");
        }
        if (bufferCapacity < 1) {
            throw new IllegalArgumentException("bufferCapacity: must be at least 1, got " + bufferCapacity);
        }
        if (criticalAttempts < 1) {
            throw new IllegalArgumentException("criticalAttempts: must be at least 1, got " + criticalAttempts);
        }
        producer = producer == null ? Map.of() : Map.copyOf(producer);
    }

    /** Defaults: 10,000 events of worst-case loss, 5 s delivery timeout, a probe every 2 s, 20 critical sends. */
    public static PublisherSettings of(String topic, String primary, String backup) {
        return new PublisherSettings(topic, primary, backup, 10_000, Duration.ofSeconds(5), Duration.ofSeconds(2), 20,
                Map.of());
    }

    public PublisherSettings withBufferCapacity(int capacity) {
        return new PublisherSettings(topic, primary, backup, capacity, deliveryTimeout, probeInterval,
                criticalAttempts, producer);
    }

    public PublisherSettings withTimeouts(Duration delivery, Duration probe) {
        return new PublisherSettings(topic, primary, backup, bufferCapacity, delivery, probe, criticalAttempts,
                producer);
    }

    public PublisherSettings withProducer(Map<String, String> properties) {
        return new PublisherSettings(topic, primary, backup, bufferCapacity, deliveryTimeout, probeInterval,
                criticalAttempts, properties);
    }

    public boolean hasBackup() {
        return !backup.isEmpty();
    }
}
