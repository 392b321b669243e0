package io.orrery.camel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.kafka.KafkaConnection;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.junit.jupiter.api.Test;

/** TLS and SASL settings from {@code io.orrery.kafka} reach Kafka's clients; their secrets never reach a log line. */
class KafkaClientPropertiesTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"orrery\" password=\"s3cret-pw\";";
    private static final Map<String, Object> CONFIGURATION = Map.of(
            "bootstrapServers", "broker-1:9093",
            "kafka.security.protocol", "SASL_SSL",
            "kafka.sasl.mechanism", "SCRAM-SHA-512",
            "kafka.sasl.jaas.config", JAAS,
            "kafka.ssl.truststore.location", "/etc/orrery/kafka-truststore.p12",
            "kafka.ssl.truststore.password", "trust-pw",
            "kafka.bootstrap.servers", "elsewhere:9092",
            "devBrokerPort", "9092");

    @Test
    void keysPrefixedKafkaBecomeClientSettingsWithoutThePrefix() {
        Map<String, Object> client = KafkaClientProperties.from(CONFIGURATION).asMap();

        assertThat(client).containsOnly(
                Map.entry("security.protocol", "SASL_SSL"),
                Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
                Map.entry("sasl.jaas.config", JAAS),
                Map.entry("ssl.truststore.location", "/etc/orrery/kafka-truststore.p12"),
                Map.entry("ssl.truststore.password", "trust-pw"));
    }

    @Test
    void secretsAreMaskedWhenPrinted() {
        String printed = KafkaClientProperties.from(CONFIGURATION).toString();

        assertThat(printed).contains("security.protocol=SASL_SSL", "sasl.mechanism=SCRAM-SHA-512",
                "ssl.truststore.location=/etc/orrery/kafka-truststore.p12", "sasl.jaas.config=****");
        assertThat(printed).doesNotContain("s3cret-pw", "trust-pw");
    }

    @Test
    void theNodesKafkaProducersAndConsumersCarryThem() {
        Map<String, Object> client = KafkaClientProperties.from(CONFIGURATION).asMap();
        CamelContext camel = CamelRuntime.createContext(CamelRuntimeTest.config(1), new KafkaConnection() {
            @Override public String bootstrapServers() { return "broker-1:9093"; }
            @Override public boolean devBroker() { return false; }
            @Override public Map<String, Object> clientProperties() { return client; }
        }, getClass().getClassLoader());
        KafkaComponent kafka = camel.getComponent("kafka", KafkaComponent.class);

        Properties producer = kafka.getConfiguration().createProducerProperties();
        Properties consumer = kafka.getConfiguration().createConsumerProperties();
        for (Properties props : new Properties[] {producer, consumer}) {
            assertThat(props).containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.mechanism", "SCRAM-SHA-512").containsEntry("sasl.jaas.config", JAAS)
                    .containsEntry("ssl.truststore.location", "/etc/orrery/kafka-truststore.p12");
        }
    }
}
