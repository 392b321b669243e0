package io.orrery.gateway.internal.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orrery.api.engine.InputField;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.gateway.internal.FakeWorkflowEngine;
import io.orrery.gateway.internal.GatewayFixture;
import io.orrery.gateway.internal.GatewaySettings;
import io.orrery.gateway.internal.http.BearerAuthentication.FailureLimit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import io.orrery.api.tenant.TokenScope;
import io.orrery.api.tenant.TokenTerms;
import io.orrery.viewinghistory.publisher.testing.KafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RecordTooLargeException;
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
 * consuming after them; a record that cannot be dead-lettered is retried, never committed past.
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

    /**
     * The dead-letter topic refuses every record (its {@code max.message.bytes} is smaller than any): a malformed
     * record is then neither lost nor passed. Its offset stays uncommitted and the record behind it waits while
     * dead-lettering is retried, each pause longer; once the topic takes records again the malformed one is in it
     * and the partition moves on. Topics and consumer group of their own, so the other tests' records flow.
     */
    @Test
    void aRecordThatCannotBeDeadLetteredIsRetriedAndNotCommittedPast() throws Exception {
        String requests = "stuck.requests";
        String dlq = requests + ".dlq";
        String group = "stuck-gateway";
        broker.createTopic(requests, 1);
        broker.createTopic(dlq, 1);
        TopicPartition partition = new TopicPartition(requests, 0);
        ConfigResource dlqConfig = new ConfigResource(ConfigResource.Type.TOPIC, dlq);
        GatewaySettings settings = new GatewaySettings(16 * 1024, Duration.ofSeconds(60), Duration.ofHours(24), requests,
                dlq, group, FailureLimit.DEFAULT);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrap()))) {
            alter(admin, dlqConfig, new AlterConfigOp(new ConfigEntry("max.message.bytes", "16"), AlterConfigOp.OpType.SET));
            await().atMost(Duration.ofSeconds(30)).until(() -> refusesRecords(dlq));
            try (GatewayFixture stuck = GatewayFixture.with().settings(settings).kafka(broker.bootstrap()).start()) {
                stuck.engine.deploy("acme", "encode", 1, new InputField("source", String.class, true, null));
                sendTo(requests, "stuck", "{oops", stuck.acme.token());
                sendTo(requests, "behind", "{\"workflow\":\"encode\",\"key\":\"behind\",\"input\":{\"source\":\"x\"}}",
                        stuck.acme.token());
                await().atMost(Duration.ofSeconds(60)).until(() -> assigned(admin, group, partition));

                await("the offset of the record not dead-lettered stays uncommitted, the record behind it waits")
                        .during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(20))
                        .until(() -> committed(admin, group, partition) <= 0 && !submittedBy(stuck, "behind"));
                assertThat(failedDeadLetters(stuck)).as("dead-lettering is retried").isGreaterThanOrEqualTo(2)
                        .as("with pauses, not in a busy loop").isLessThanOrEqualTo(8);

                alter(admin, dlqConfig, new AlterConfigOp(new ConfigEntry("max.message.bytes", ""), AlterConfigOp.OpType.DELETE));
                ConsumerRecord<String, byte[]> dead = deadLetters(dlq, r -> "stuck".equals(r.key()), 1).get(0);
                assertThat(header(dead, "orrery-source")).isEqualTo(requests + "/0@0");
                assertThat(header(dead, "orrery-error")).startsWith("body:");
                assertThat(dead.value()).isEqualTo("{oops".getBytes(StandardCharsets.UTF_8));
                await().atMost(Duration.ofSeconds(60)).until(() -> submittedBy(stuck, "behind"));
                await().atMost(Duration.ofSeconds(30)).until(() -> committed(admin, group, partition) == 2);
            }
        }
    }

    /**
     * A record the dead-letter topic refuses as too large (its limit below the requests topic's) would be refused for
     * ever: it is dead-lettered as a reference, its headers without its value, and the partition moves on.
     */
    @Test
    void aRecordTooLargeForTheDeadLetterTopicIsDeadLetteredWithoutItsValueAndThePartitionMovesOn() throws Exception {
        String requests = "large.requests";
        String dlq = requests + ".dlq";
        String group = "large-gateway";
        broker.createTopic(requests, 1);
        broker.createTopic(dlq, 1);
        TopicPartition partition = new TopicPartition(requests, 0);
        GatewaySettings settings = new GatewaySettings(16 * 1024, Duration.ofSeconds(60), Duration.ofHours(24), requests,
                dlq, group, FailureLimit.DEFAULT);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrap()))) {
            alter(admin, new ConfigResource(ConfigResource.Type.TOPIC, dlq),
                    new AlterConfigOp(new ConfigEntry("max.message.bytes", "2048"), AlterConfigOp.OpType.SET));
            String large = "{oops" + "x".repeat(4000);
            await().atMost(Duration.ofSeconds(30)).until(() -> refuses(dlq, large));
            try (GatewayFixture gateway = GatewayFixture.with().settings(settings).kafka(broker.bootstrap()).start()) {
                gateway.engine.deploy("acme", "encode", 1, new InputField("source", String.class, true, null));
                sendTo(requests, "large", large, gateway.acme.token());
                sendTo(requests, "behind", "{\"workflow\":\"encode\",\"key\":\"behind\",\"input\":{\"source\":\"x\"}}",
                        gateway.acme.token());

                ConsumerRecord<String, byte[]> dead = deadLetters(dlq, r -> "large".equals(r.key()), 1).get(0);
                assertThat(dead.value()).isEmpty();
                assertThat(header(dead, "orrery-source")).isEqualTo(requests + "/0@0");
                assertThat(header(dead, "orrery-error")).startsWith("body:");
                assertThat(header(dead, "orrery-value-left-out")).contains(large.length() + " bytes")
                        .contains(requests + "/0@0");
                await().atMost(Duration.ofSeconds(60)).until(() -> submittedBy(gateway, "behind"));
                await().atMost(Duration.ofSeconds(30)).until(() -> committed(admin, group, partition) == 2);
            }
        }
    }

    /** Whether the broker refuses {@code value} on {@code topic} as too large. */
    private static boolean refuses(String topic, String value) throws InterruptedException {
        try {
            producer.send(new ProducerRecord<>(topic, 0, "probe", value.getBytes(StandardCharsets.UTF_8))).get();
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause() instanceof RecordTooLargeException;
        }
    }

    private static void alter(Admin admin, ConfigResource resource, AlterConfigOp op) throws Exception {
        admin.incrementalAlterConfigs(Map.of(resource, List.of(op))).all().get(30, TimeUnit.SECONDS);
    }

    /** Whether the broker refuses a record on {@code topic} as too large (the topic's new limit is in force). */
    private static boolean refusesRecords(String topic) throws InterruptedException {
        return refuses(topic, "probe");
    }

    private static boolean assigned(Admin admin, String group, TopicPartition partition) throws Exception {
        return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(30, TimeUnit.SECONDS)
                .members().stream().anyMatch(m -> m.assignment().topicPartitions().contains(partition));
    }

    /** The group's committed offset of the partition; -1 when it has none. */
    private static long committed(Admin admin, String group, TopicPartition partition) throws Exception {
        OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS).get(partition);
        return offset == null ? -1 : offset.offset();
    }

    private static double failedDeadLetters(GatewayFixture gateway) {
        var counter = gateway.meters.find("orrery.gateway.ingested").tag("outcome", "dead-letter-failed").counter();
        return counter == null ? 0 : counter.count();
    }

    private static boolean submittedBy(GatewayFixture gateway, String key) {
        return gateway.engine.submissions.stream().anyMatch(s -> key.equals(s.request().key()));
    }

    private static void sendTo(String topic, String key, String json, String token) throws Exception {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, 0, key, json.getBytes(StandardCharsets.UTF_8));
        record.headers().add("Authorization", ("Bearer " + token).getBytes(StandardCharsets.UTF_8));
        producer.send(record).get();
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
        return deadLetters("orrery.requests.dlq", which, expected);
    }

    private static List<ConsumerRecord<String, byte[]>> deadLetters(String topic,
            java.util.function.Predicate<ConsumerRecord<String, byte[]>> which, int expected) {
        Properties props = new Properties();
        props.put("bootstrap.servers", broker.bootstrap());
        props.put("group.id", "dlq-reader-" + System.nanoTime());
        props.put("auto.offset.reset", "earliest");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
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
