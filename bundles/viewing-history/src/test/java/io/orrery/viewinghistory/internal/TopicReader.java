package io.orrery.viewinghistory.internal;

import io.orrery.viewinghistory.internal.event.EventCodec;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a topic from its start, accumulating the event ids seen, one short poll per call (for Awaitility). */
public final class TopicReader implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Set<String> eventIds = new HashSet<>();
    private long records;

    public TopicReader(String bootstrap, String topic) {
        consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap, "group.id", "reader-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest", "enable.auto.commit", "false"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
    }

    /** Every event id read so far, after one more poll. */
    public Set<String> poll() {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            eventIds.add(EventCodec.parse(r.value()).eventId());
            records++;
        }
        return Set.copyOf(eventIds);
    }

    /** Records read so far (duplicates included). */
    public long records() {
        return records;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
