package io.orrery.gateway.internal.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orrery.gateway.internal.GatewayFixture;
import io.orrery.viewinghistory.publisher.testing.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Kafka requests spend the tenant's cluster-wide request rate, the bucket REST requests spend: a record over it is
 * not run and not lost, it goes to the dead-letter topic with the reason and when to send it again; other tenants'
 * records flow on behind it. Against a real Kafka broker.
 */
class IngestionRateIT {

    private KafkaBroker broker;
    private GatewayFixture gateway;
    private KafkaProducer<String, byte[]> producer;

    @BeforeEach
    void start() throws Exception {
        broker = KafkaBroker.start();
        broker.createTopic("orrery.requests", 1);
        broker.createTopic("orrery.requests.dlq", 1);
        // beta: a burst of 3, then one request every 1000 s: what the test sends past the burst is over the rate.
        gateway = GatewayFixture.with().kafka(broker.bootstrap())
                .property("quota.beta.requestsPerSecond", "0.001").property("quota.beta.burst", "3").start();
        gateway.engine.deploy("acme", "w", 1);
        gateway.engine.deploy("beta", "w", 1);
        Properties props = new Properties();
        props.put("bootstrap.servers", broker.bootstrap());
        props.put("acks", "all");
        producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void stop() {
        producer.close(Duration.ofSeconds(5));
        gateway.close();
        broker.close();
    }

    @Test
    void aRecordOverItsTenantsRateGoesToTheDeadLetterTopicWithTheReasonAndOthersFlowOn() throws Exception {
        for (int i = 0; i < 6; i++) {
            send("beta-" + i, gateway.beta.token());
        }
        send("acme-after", gateway.acme.token());

        await().atMost(Duration.ofSeconds(60)).until(() -> submitted("acme-after"));
        assertThat(gateway.engine.submissions).filteredOn(s -> s.request().tenant().equals("beta")).hasSize(3);
        List<ConsumerRecord<String, byte[]>> dead = deadLetters(3);
        assertThat(dead).extracting(ConsumerRecord::key).containsExactly("beta-3", "beta-4", "beta-5");
        for (ConsumerRecord<String, byte[]> record : dead) {
            assertThat(header(record, "orrery-error")).startsWith("rate:").contains("tenant beta");
            assertThat(Long.parseLong(header(record, "orrery-retry-after"))).isPositive();
            assertThat(new String(record.value(), StandardCharsets.UTF_8)).contains(record.key());
        }
        assertThat(gateway.get("/tenants/beta/workflows", gateway.beta.token()).statusCode())
                .as("REST and Kafka spend one bucket").isEqualTo(429);
    }

    private void send(String key, String token) throws Exception {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>("orrery.requests", 0, key,
                ("{\"workflow\":\"w\",\"key\":\"" + key + "\",\"input\":{}}").getBytes(StandardCharsets.UTF_8));
        record.headers().add("Authorization", ("Bearer " + token).getBytes(StandardCharsets.UTF_8));
        producer.send(record).get();
    }

    private boolean submitted(String key) {
        return gateway.engine.submissions.stream().anyMatch(s -> key.equals(s.request().key()));
    }

    private List<ConsumerRecord<String, byte[]>> deadLetters(int expected) {
        Properties props = new Properties();
        props.put("bootstrap.servers", broker.bootstrap());
        props.put("group.id", "dlq-reader-" + System.nanoTime());
        props.put("auto.offset.reset", "earliest");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("orrery.requests.dlq"));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
                return records.size() >= expected;
            });
        }
        return records;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
