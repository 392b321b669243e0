package io.orrery.viewinghistory.internal.region;

import io.orrery.viewinghistory.internal.event.EventCodec;
import io.orrery.viewinghistory.internal.processor.EventBatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One polled batch of the local forwarding topic: each event sent to the events topic of its user's home region
 * ({@code acks=all}, idempotent), and the batch's offsets committed only once every region acknowledged. A region
 * that cannot be reached fails the batch, which is polled again: its events wait in the local cluster, which is
 * the point of publishing locally first. A redelivered event reaches its region twice at most, and the processor
 * there drops the duplicate. A record that is not an event goes to the local events topic, where the processor
 * dead-letters it with its error.
 */
public final class RegionForwarder implements Processor, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RegionForwarder.class);

    private final HomeRegions regions;
    private final long timeoutMillis;
    private final Map<String, KafkaProducer<byte[], byte[]>> producers = new ConcurrentHashMap<>();
    private final LongAdder forwarded = new LongAdder();

    public RegionForwarder(HomeRegions regions, long timeoutMillis) {
        this.regions = regions;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void process(Exchange batch) throws Exception {
        @SuppressWarnings("unchecked")
        List<Exchange> records = batch.getMessage().getBody(List.class);
        if (records == null || records.isEmpty()) {
            return;
        }
        List<Map.Entry<String, Future<?>>> sends = new ArrayList<>(records.size());
        for (Exchange record : records) {
            byte[] value = record.getMessage().getBody(byte[].class);
            String region = home(value == null ? new byte[0] : value);
            try {
                sends.add(Map.entry(region, producer(region).send(new ProducerRecord<>(regions.topic(), value))));
            } catch (RuntimeException unreachable) {
                throw failed(region, unreachable);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (Map.Entry<String, Future<?>> send : sends) {
            try {
                send.getValue().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException unacknowledged) {
                // nothing is committed: the batch is polled again, its events still in the local cluster
                throw failed(send.getKey(), unacknowledged);
            }
        }
        forwarded.add(records.size());
        EventBatch.commit(records);
    }

    /** The region's producer is replaced (its idempotence state included) before the batch comes again. */
    private IllegalStateException failed(String region, Exception cause) {
        KafkaProducer<byte[], byte[]> producer = producers.remove(region);
        if (producer != null) {
            producer.close(Duration.ZERO);
        }
        LOG.warn("Region {} did not take forwarded playback events ({}); they wait in region {}", region,
                cause.toString(), regions.local());
        return new IllegalStateException("region " + region + ": forwarding failed: " + cause.getMessage(), cause);
    }

    private String home(byte[] value) {
        try {
            return regions.home(EventCodec.parse(value).userId());
        } catch (RuntimeException invalid) {
            LOG.warn("Forwarding topic {}: a record that is not a playback event stays in region {} ({})",
                    regions.forwardTopic(), regions.local(), invalid.getMessage());
            return regions.local();
        }
    }

    private KafkaProducer<byte[], byte[]> producer(String region) {
        return producers.computeIfAbsent(region, r -> new KafkaProducer<>(Map.of(
                "bootstrap.servers", regions.cluster(r), "acks", "all", "enable.idempotence", "true",
                "linger.ms", "5", "client.id", "orrery-vh-router-" + r,
                "delivery.timeout.ms", String.valueOf(Math.max(timeoutMillis, 2_000)),
                "request.timeout.ms", String.valueOf(Math.max(timeoutMillis / 2, 1_000)),
                "max.block.ms", String.valueOf(timeoutMillis)),
                new ByteArraySerializer(), new ByteArraySerializer()));
    }

    /** Events forwarded to their home region (the local one included, for records that are not events). */
    public long forwardedCount() {
        return forwarded.sum();
    }

    @Override
    public void close() {
        producers.values().forEach(p -> p.close(Duration.ofSeconds(5)));
        producers.clear();
    }
}
