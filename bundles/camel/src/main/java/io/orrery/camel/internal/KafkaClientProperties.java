package io.orrery.camel.internal;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka client settings from {@code etc/io.orrery.kafka.cfg}: every key prefixed {@code kafka.} is handed, without
 * the prefix, to every client this node makes (producers, consumers, the health check's admin client): TLS
 * ({@code kafka.security.protocol=SSL}, {@code kafka.ssl.truststore.location}, ...) and SASL
 * ({@code kafka.sasl.mechanism}, {@code kafka.sasl.jaas.config}, ...) alike. The brokers stay
 * {@code bootstrapServers}'s to set. Values of secret-looking keys are never logged.
 */
public final class KafkaClientProperties {

    static final String PREFIX = "kafka.";
    private static final Logger LOG = LoggerFactory.getLogger(KafkaClientProperties.class);
    /** Set from {@code bootstrapServers}: a {@code kafka.} spelling would silently disagree with it. */
    private static final Set<String> OWNED = Set.of("bootstrap.servers");
    private static final String[] SECRET_WORDS = {"password", "jaas", "secret", "key", "token", "credential"};

    private final Map<String, Object> properties;

    private KafkaClientProperties(Map<String, Object> properties) {
        this.properties = Map.copyOf(properties);
    }

    /** The client settings among a configuration's properties. */
    public static KafkaClientProperties from(Map<String, ?> configuration) {
        Map<String, Object> client = new TreeMap<>();
        configuration.forEach((key, value) -> {
            if (!key.startsWith(PREFIX) || value == null) {
                return;
            }
            String name = key.substring(PREFIX.length()).trim();
            if (name.isEmpty()) {
                return;
            }
            if (OWNED.contains(name)) {
                LOG.warn("Ignoring {} in io.orrery.kafka: set bootstrapServers instead", key);
                return;
            }
            client.put(name, value.toString().trim());
        });
        return new KafkaClientProperties(client);
    }

    /** The settings to hand to a Kafka client. */
    public Map<String, Object> asMap() {
        return properties;
    }

    /** Whether a key's value must stay out of logs and health details. */
    static boolean isSecret(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (String word : SECRET_WORDS) {
            if (lower.contains(word)) {
                return true;
            }
        }
        return false;
    }

    /** The settings for a log line: secret values masked. */
    @Override
    public String toString() {
        Map<String, Object> shown = new TreeMap<>();
        properties.forEach((name, value) -> shown.put(name, isSecret(name) ? "****" : value));
        return shown.toString();
    }
}
