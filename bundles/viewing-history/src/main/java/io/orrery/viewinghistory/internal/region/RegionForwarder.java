package io.orrery.viewinghistory.internal.region;

import io.orrery.viewinghistory.internal.event.EventCodec;
import io.orrery.viewinghistory.internal.processor.EventBatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * ({@code acks=all}, idempotent), and the batch's offsets committed only once every region acknowledged. While a
 * region cannot be reached its events are sent again with a growing delay, the batch stays uncommitted and the
 * events wait in the local cluster, which is the point of publishing locally first. An event sent again may reach
 * its region twice, and the processor there drops the duplicate. A record that is not an event goes to the local events topic, where the processor
 * dead-letters it with its error.
 */
public final class RegionForwarder implements Processor, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RegionForwarder.class);
    private static final String REGION = "orrery.viewinghistory.region";
    private static final long MAX_BACKOFF_MILLIS = 10_000;

    private final HomeRegions regions;
    private final long timeoutMillis;
    private final Map<String, KafkaProducer<byte[], byte[]>> producers = new ConcurrentHashMap<>();
    private final LongAdder forwarded = new LongAdder();
    private final LongAdder failedBatches = new LongAdder();

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
        List<Exchange> pending = records;
        for (int attempt = 1; ; attempt++) {
            pending = send(pending);
            if (pending.isEmpty()) {
                break;
            }
            failedBatches.increment();
            if (!running(batch)) {
                // not committed: the next start polls the batch again
                throw new IllegalStateException(pending.size() + " playback events not forwarded: the router stopped");
            }
            TimeUnit.MILLISECONDS.sleep(Math.min(MAX_BACKOFF_MILLIS, 250L << Math.min(attempt, 10)));
        }
        forwarded.add(records.size());
        EventBatch.commit(records);
    }

    /**
     * Sends each record to its home region; the records that a region did not acknowledge in time. The batch is
     * retried here rather than failed back to the Kafka consumer, whose redelivery of a failed batch is not
     * dependable: its events wait, uncommitted, in the local cluster until their region answers.
     */
    private List<Exchange> send(List<Exchange> records) throws InterruptedException {
        List<Map.Entry<Exchange, Future<?>>> sends = new ArrayList<>(records.size());
        Map<String, Exception> failed = new LinkedHashMap<>();
        List<Exchange> unsent = new ArrayList<>();
        for (Exchange record : records) {
            byte[] value = record.getMessage().getBody(byte[].class);
            String region = home(value == null ? new byte[0] : value);
            record.setProperty(REGION, region);
            if (failed.containsKey(region)) {
                unsent.add(record);
                continue;
            }
            try {
                Future<?> send = producer(region).send(new ProducerRecord<>(regions.topic(), value));
                Exception refused = refusedAtOnce(send);
                if (refused != null) {
                    // no metadata for the region within max.block.ms: the rest of its events would wait as long
                    failed.put(region, refused);
                    unsent.add(record);
                } else {
                    sends.add(Map.entry(record, send));
                }
            } catch (RuntimeException unreachable) {
                failed.put(region, unreachable);
                unsent.add(record);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (Map.Entry<Exchange, Future<?>> send : sends) {
            try {
                send.getValue().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException unacknowledged) {
                failed.putIfAbsent(send.getKey().getProperty(REGION, String.class), unacknowledged);
                unsent.add(send.getKey());
            }
        }
        failed.forEach((region, cause) -> LOG.warn("Region {} did not take forwarded playback events ({}); they "
                + "wait in region {}", region, cause.toString(), regions.local()));
        return unsent;
    }

    private static Exception refusedAtOnce(Future<?> send) throws InterruptedException {
        if (!send.isDone()) {
            return null;
        }
        try {
            send.get();
            return null;
        } catch (ExecutionException refused) {
            return refused;
        }
    }

    private static boolean running(Exchange batch) {
        String route = batch.getFromRouteId();
        return !Thread.currentThread().isInterrupted() && !batch.getContext().isStopping()
                && (route == null || batch.getContext().getRouteController().getRouteStatus(route).isStarted());
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

    /** Batches that a region did not take, each to be polled again. */
    public long failedBatches() {
        return failedBatches.sum();
    }

    @Override
    public void close() {
        producers.values().forEach(p -> p.close(Duration.ofSeconds(5)));
        producers.clear();
    }
}
