package io.orrery.viewinghistory.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orrery.viewinghistory.publisher.testing.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The publisher against two real brokers: the primary is stopped for 20 s under a steady stream of critical events
 * and nothing accepted is lost (each event is in one cluster or the other); a full buffer drops and counts.
 */
class PlaybackPublisherIT {

    private static final String TOPIC = "orrery.playback.events";

    private static KafkaBroker primary;
    private static KafkaBroker backup;

    @BeforeAll
    static void start() throws Exception {
        primary = KafkaBroker.start();
        backup = KafkaBroker.start();
        primary.createTopic(TOPIC, 3);
        backup.createTopic(TOPIC, 3);
    }

    @AfterAll
    static void stop() {
        if (primary != null) {
            primary.close();
        }
        if (backup != null) {
            backup.close();
        }
    }

    @Test
    void criticalEventsOutliveAPrimaryOutageOfTwentySeconds() throws Exception {
        PublisherSettings settings = PublisherSettings.of(TOPIC, primary.bootstrap(), backup.bootstrap())
                .withBufferCapacity(100_000).withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(1));
        Set<String> published = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger refused = new AtomicInteger();
        try (PlaybackPublisher publisher = new PlaybackPublisher(settings)) {
            Thread load = new Thread(() -> {
                while (running.get()) {
                    String id = UUID.randomUUID().toString();
                    if (publisher.publish(("{\"eventId\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8), true)) {
                        published.add(id);
                    } else {
                        refused.incrementAndGet();
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2)); // pacing, ~500 events/s
                }
            }, "critical-load");
            load.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> publisher.counters().sent() > 500);
            primary.stop();
            long stoppedAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(20)).until(() -> publisher.counters().onBackup());
            await().atMost(Duration.ofSeconds(30)).until(() -> publisher.counters().sentToBackup() > 500);
            await().pollDelay(Duration.ofSeconds(20).minusNanos(System.nanoTime() - stoppedAt)
                    .isNegative() ? Duration.ZERO : Duration.ofSeconds(20).minusNanos(System.nanoTime() - stoppedAt))
                    .atMost(Duration.ofSeconds(40)).until(() -> true);
            primary.resume();
            await().atMost(Duration.ofSeconds(60)).until(() -> !publisher.counters().onBackup());
            long sentBefore = publisher.counters().sent();
            await().atMost(Duration.ofSeconds(30)).until(() -> publisher.counters().sent() > sentBefore + 500);
            running.set(false);
            load.join();
            await().atMost(Duration.ofSeconds(60)).until(() -> publisher.counters().pending() == 0);

            PublisherCounters counters = publisher.counters();
            assertThat(refused.get()).isZero();
            assertThat(counters.dropped()).isZero();
            assertThat(counters.failed()).isZero();
            assertThat(counters.accepted()).isEqualTo(published.size());
            assertThat(counters.sent()).isEqualTo(counters.accepted());
            assertThat(counters.sentToBackup()).isPositive().isLessThan(counters.sent());
        }
        Set<String> stored = new HashSet<>();
        stored.addAll(eventIds(primary.bootstrap()));
        stored.addAll(eventIds(backup.bootstrap()));
        assertThat(stored).containsAll(published);
    }

    @Test
    void aFullBufferDropsAndCountsWhatItCannotHold() {
        // Nothing listens on this port: every send waits out its delivery timeout while the buffer fills.
        String nowhere = "127.0.0.1:" + KafkaBroker.freePort();
        PublisherSettings settings = PublisherSettings.of("orrery.playback.nowhere", nowhere, "")
                .withBufferCapacity(10).withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1));
        try (PlaybackPublisher publisher = new PlaybackPublisher(settings)) {
            int taken = 0;
            for (int i = 0; i < 100; i++) {
                taken += publisher.publish(("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8), false) ? 1 : 0;
            }
            assertThat(taken).isEqualTo(10);
            assertThat(publisher.counters().accepted()).isEqualTo(10);
            assertThat(publisher.counters().dropped()).isEqualTo(90);
            await().atMost(Duration.ofSeconds(30)).until(() -> publisher.counters().failed() == 10);
            PublisherCounters counters = publisher.counters();
            assertThat(counters.sent()).isZero();
            assertThat(counters.pending()).isZero();
            // once the failed ones freed their room, the buffer takes events again
            assertThat(publisher.publish("{}".getBytes(StandardCharsets.UTF_8), false)).isTrue();
        }
    }

    private static Set<String> eventIds(String bootstrap) {
        Map<String, Object> props = Map.of("bootstrap.servers", bootstrap, "group.id", "check-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest", "max.poll.records", "5000");
        Set<String> ids = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            int emptyPolls = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (emptyPolls < 5 && System.nanoTime() < deadline) {
                var records = consumer.poll(Duration.ofMillis(1000));
                emptyPolls = records.isEmpty() && !consumer.assignment().isEmpty() ? emptyPolls + 1 : 0;
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    String json = new String(r.value(), StandardCharsets.UTF_8);
                    ids.add(json.substring(json.indexOf(":\"") + 2, json.lastIndexOf('"')));
                }
            }
        }
        return ids;
    }
}
