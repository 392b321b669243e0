package io.orrery.gateway.internal.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orrery.api.engine.InputField;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.gateway.internal.FakeWorkflowEngine;
import io.orrery.gateway.internal.GatewayFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import io.orrery.api.tenant.TokenScope;
import io.orrery.api.tenant.TokenTerms;
import io.orrery.viewinghistory.publisher.testing.KafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code orrery.requests} route against a real Kafka broker: requests are mapped exactly as REST maps them,
 * malformed records go to {@code orrery.requests.dlq} with the reason in {@code orrery-error}, and the route keeps
 * consuming after them.
 */
class RequestIngestionRouteIT {

    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

    private static KafkaBroker broker;
    private static GatewayFixture gateway;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void start() throws Exception {
        broker = KafkaBroker.start();
        broker.createTopic("orrery.requests", 2);
        broker.createTopic("orrery.requests.dlq", 1);
        gateway = GatewayFixture.with().kafka(broker.bootstrap()).start();
        gateway.engine.deploy("acme", "encode", 1,
                new InputField("source", String.class, true, null),
                new InputField("chunks", Integer.class, false, 31));
        Properties props = new Properties();
        props.put("bootstrap.servers", broker.bootstrap());
        props.put("acks", "all");
        producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (gateway != null) {
            gateway.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void mapsRecordsAsRestDoesAndDeadLettersTheMalformedWithoutStopping() throws Exception {
        send("v1", "{\"tenant\":\"acme\",\"workflow\":\"encode\",\"key\":\"kafka-1\",\"input\":{\"source\":\"s3://k1\"},"
                + "\"priority\":3,\"idempotencyKey\":\"once\"}", "00-" + TRACE_ID + "-b7ad6b7169203331-01");
        Map<String, String> malformed = new java.util.LinkedHashMap<>();
        malformed.put("not-json", "{oops");
        malformed.put("array", "[1,2]");
        malformed.put("no-tenant", "{\"workflow\":\"encode\",\"input\":{\"source\":\"x\"}}");
        malformed.put("ghost-tenant", "{\"tenant\":\"ghost\",\"workflow\":\"encode\",\"input\":{\"source\":\"x\"}}");
        malformed.put("bad-priority", "{\"tenant\":\"acme\",\"workflow\":\"encode\",\"input\":{\"source\":\"x\"},\"priority\":\"high\"}");
        malformed.put("bad-input", "{\"tenant\":\"acme\",\"workflow\":\"encode\",\"input\":{\"source\":7}}");
        malformed.put("no-workflow", "{\"tenant\":\"acme\",\"workflow\":\"nope\",\"input\":{}}");
        malformed.put("extra-member", "{\"tenant\":\"acme\",\"workflow\":\"encode\",\"input\":{\"source\":\"x\"},\"colour\":1}");
        for (var record : malformed.entrySet()) {
            // An administrator token acts for any tenant, so its records must name one.
            send(record.getKey(), record.getValue(), null,
                    record.getKey().equals("no-tenant") ? gateway.admin.token() : gateway.acme.token());
        }
        producer.send(withToken(new ProducerRecord<>("orrery.requests", 0, "binary", new byte[] {(byte) 0xff, 0, (byte) 0xfe}))).get();
        producer.send(withToken(new ProducerRecord<>("orrery.requests", 0, "tombstone", null))).get();
        send("v1-again", "{\"tenant\":\"acme\",\"workflow\":\"encode\",\"key\":\"kafka-1\",\"input\":{\"source\":\"s3://k1\"},"
                + "\"priority\":3,\"idempotencyKey\":\"once\"}", null);
        send("v2", "{\"tenant\":\"acme\",\"workflow\":\"encode\",\"key\":\"kafka-2\",\"input\":{\"source\":\"s3://k2\"}}", null);

        await().atMost(Duration.ofSeconds(60)).until(() -> submitted("kafka-2").isPresent());
        InstanceRequest first = submitted("kafka-1").orElseThrow();
        assertThat(first.priority()).isEqualTo(3);
        assertThat(first.input()).isEqualTo(Map.of("source", "s3://k1"));
        assertThat(first.trace().traceId()).isEqualTo(TRACE_ID);
        assertThat(gateway.traces.spans("acme", TRACE_ID)).singleElement().satisfies(span -> {
            assertThat(span.name()).isEqualTo("kafka orrery.requests");
            assertThat(span.parentSpanId()).isEqualTo("b7ad6b7169203331");
            assertThat(span.spanId()).isEqualTo(first.trace().spanId());
            assertThat(span.failure()).isNull();
        });
        assertThat(gateway.engine.submissions).filteredOn(s -> "kafka-1".equals(s.request().key())).hasSize(1);

        List<ConsumerRecord<String, byte[]>> dead = deadLetters(malformed.size() + 2);
        Map<String, String> reasons = new java.util.HashMap<>();
        for (ConsumerRecord<String, byte[]> record : dead) {
            reasons.put(record.key(), header(record, "orrery-error"));
            assertThat(header(record, "orrery-source")).startsWith("orrery.requests/");
        }
        assertThat(reasons.keySet()).containsAll(malformed.keySet()).contains("binary", "tombstone");
        assertThat(reasons.get("not-json")).startsWith("body: malformed JSON at line 1");
        assertThat(reasons.get("no-tenant")).startsWith("tenant:");
        assertThat(reasons.get("ghost-tenant")).contains("ghost");
        assertThat(reasons.get("no-tenant")).startsWith("tenant:").contains("administrator");
        assertThat(reasons.get("bad-priority")).startsWith("priority:");
        assertThat(reasons.get("bad-input")).startsWith("input.source:");
        assertThat(reasons.get("no-workflow")).startsWith("workflow:");
        assertThat(reasons.get("extra-member")).startsWith("colour:");
        assertThat(dead.stream().filter(r -> "not-json".equals(r.key())).findFirst().orElseThrow().value())
                .isEqualTo("{oops".getBytes(StandardCharsets.UTF_8));
        assertThat(gateway.meters.get("orrery.gateway.ingested").tag("outcome", "dead-lettered").counter().count())
                .isGreaterThanOrEqualTo(malformed.size() + 2);
    }

    @Test
    void onlyRecordsWithAValidTokenOfTheRecordsTenantRun() {
        String readOnly = gateway.directory.issueToken("acme",
                new TokenTerms(Set.of(TokenScope.READ), null), false).token();
        send("auth-none", "{\"tenant\":\"acme\",\"workflow\":\"encode\",\"key\":\"auth-none\",\"input\":{\"source\":\"x\"}}",
                null, null);
        send("auth-bad", "{\"tenant\":\"acme\",\"workflow\":\"encode\",\"key\":\"auth-bad\",\"input\":{\"source\":\"x\"}}",
                null, "orr_forgedxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
        send("auth-foreign", "{\"tenant\":\"acme\",\"workflow\":\"encode\",\"key\":\"auth-foreign\",\"input\":{\"source\":\"x\"}}",
                null, gateway.beta.token());
        send("auth-read", "{\"tenant\":\"acme\",\"workflow\":\"encode\",\"key\":\"auth-read\",\"input\":{\"source\":\"x\"}}",
                null, readOnly);
        send("auth-implied", "{\"workflow\":\"encode\",\"key\":\"auth-implied\",\"input\":{\"source\":\"x\"}}",
                null, gateway.acme.token());

        await().atMost(Duration.ofSeconds(60)).until(() -> submitted("auth-implied").isPresent());
        assertThat(submitted("auth-implied").orElseThrow().tenant()).isEqualTo("acme");
        Map<String, ConsumerRecord<String, byte[]>> dead = new java.util.HashMap<>();
        deadLetters(r -> r.key() != null && r.key().startsWith("auth-"), 4).forEach(r -> dead.put(r.key(), r));
        assertThat(dead.keySet()).containsExactlyInAnyOrder("auth-none", "auth-bad", "auth-foreign", "auth-read");
        assertThat(header(dead.get("auth-none"), "orrery-error")).startsWith("Authorization:").contains("Bearer");
        assertThat(header(dead.get("auth-bad"), "orrery-error")).startsWith("Authorization:").contains("not valid");
        assertThat(header(dead.get("auth-foreign"), "orrery-error")).startsWith("tenant:").contains("acme");
        assertThat(header(dead.get("auth-read"), "orrery-error")).contains("'run' scope");
        for (ConsumerRecord<String, byte[]> record : dead.values()) {
            assertThat(record.headers().lastHeader("Authorization")).as("the token is not copied to the DLT").isNull();
        }
        assertThat(gateway.engine.submissions).map(s -> String.valueOf(s.request().key()))
                .doesNotContain("auth-none", "auth-bad", "auth-foreign", "auth-read");
    }

    @Test
    void aKafkaRequestBecomesTheSameInstanceRequestAsTheRestOne() {
        String body = "{\"key\":\"same-rest\",\"input\":{\"source\":\"s3://same\",\"chunks\":4},\"priority\":8}";
        gateway.postJson("/tenants/acme/workflows/encode/instances", gateway.acme.token(), body);
        send("same", "{\"tenant\":\"acme\",\"workflow\":\"encode\",\"key\":\"same-kafka\",\"input\":{\"source\":\"s3://same\","
                + "\"chunks\":4},\"priority\":8}", null);

        await().atMost(Duration.ofSeconds(60)).until(() -> submitted("same-kafka").isPresent());
        InstanceRequest rest = submitted("same-rest").orElseThrow();
        InstanceRequest kafka = submitted("same-kafka").orElseThrow();
        assertThat(kafka.tenant()).isEqualTo(rest.tenant());
        assertThat(kafka.workflow()).isEqualTo(rest.workflow());
        assertThat(kafka.input()).isEqualTo(rest.input());
        assertThat(kafka.priority()).isEqualTo(rest.priority());
    }

    private static ProducerRecord<String, byte[]> withToken(ProducerRecord<String, byte[]> record) {
        record.headers().add("Authorization", ("Bearer " + gateway.acme.token()).getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private static void send(String key, String json, String traceparent) {
        send(key, json, traceparent, gateway.acme.token());
    }

    static void send(String key, String json, String traceparent, String token) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>("orrery.requests", 0, key,
                json.getBytes(StandardCharsets.UTF_8));
        if (token != null) {
            record.headers().add("Authorization", ("Bearer " + token).getBytes(StandardCharsets.UTF_8));
        }
        if (traceparent != null) {
            record.headers().add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
        }
        try {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<InstanceRequest> submitted(String key) {
        return gateway.engine.submissions.stream().map(FakeWorkflowEngine.Submission::request)
                .filter(r -> key.equals(r.key())).findFirst();
    }

    private static List<ConsumerRecord<String, byte[]>> deadLetters(int expected) {
        return deadLetters(r -> !(r.key() != null && r.key().startsWith("auth-")), expected);
    }

    private static List<ConsumerRecord<String, byte[]>> deadLetters(
            java.util.function.Predicate<ConsumerRecord<String, byte[]>> which, int expected) {
        Properties props = new Properties();
        props.put("bootstrap.servers", broker.bootstrap());
        props.put("group.id", "dlq-reader-" + System.nanoTime());
        props.put("auto.offset.reset", "earliest");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("orrery.requests.dlq"));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                    if (which.test(r)) {
                        records.add(r);
                    }
                });
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
