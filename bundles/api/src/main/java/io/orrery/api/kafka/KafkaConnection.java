package io.orrery.api.kafka;

import java.util.Map;

/**
 * The Kafka cluster this node talks to: the configured bootstrap servers, or the bundled dev broker when none
 * are configured. Registered as a service by the Camel runtime, whose {@code kafka} component is preconfigured
 * with the same brokers, so routes write {@code kafka:topic} without naming brokers.
 */
public interface KafkaConnection {

    String bootstrapServers();

    /** True when no bootstrap servers are configured and the node uses the bundled dev broker. */
    boolean devBroker();

    /**
     * Settings every Kafka client of the node must carry besides the brokers (TLS, SASL: {@code security.protocol},
     * {@code sasl.jaas.config}, ...), from the {@code kafka.}-prefixed keys of {@code io.orrery.kafka}. May hold
     * secrets: never log the values.
     */
    default Map<String, Object> clientProperties() {
        return Map.of();
    }
}
