package io.orrery.viewinghistory.internal.processor;

import io.orrery.viewinghistory.internal.event.EventCodec;
import io.orrery.viewinghistory.internal.event.PlaybackEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.builder.RouteBuilder;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processor's routes: a Kafka consumer group on the events topic of the primary cluster (and of the backup
 * cluster, where critical events go while the primary is down), processing polled batches with manual commits; a
 * timer that closes idle sessions; and one that retries due events from the delay queue.
 */
public class ProcessorRoute extends RouteBuilder {

    /** Where and how to consume. */
    public record Source(String topic, String group, String primaryBrokers, String backupBrokers, int consumers,
                         int batchSize) {
    }

    /**
     * The consumers of the primary cluster, as scaled; shared with the status command. The scaling decision runs
     * every {@code every}; its cool-down is measured on {@code clock}.
     */
    public static final class Consumers {
        private static final int CHANGES_KEPT = 20;
        private final ConsumerScaling scaling;
        private final AtomicInteger current;
        private final Duration every;
        private final Clock clock;
        private final Deque<Integer> changes = new ArrayDeque<>();
        private final java.util.concurrent.atomic.AtomicLong decisions = new java.util.concurrent.atomic.AtomicLong();

        public Consumers(ConsumerScaling scaling, int initial) {
            this(scaling, initial, Duration.ofSeconds(10), Clock.systemUTC());
        }

        public Consumers(ConsumerScaling scaling, int initial, Duration every, Clock clock) {
            this.scaling = scaling;
            this.current = new AtomicInteger(initial);
            this.every = every;
            this.clock = clock;
            changes.add(initial);
        }

        public int current() {
            return current.get();
        }

        public double baseline() {
            return scaling == null ? 0 : scaling.baseline();
        }

        /** Scaling decisions taken so far (intervals in which the cluster answered). */
        public long decisions() {
            return decisions.get();
        }

        /** The consumer counts this route ran, oldest first (the last few). */
        public synchronized List<Integer> history() {
            return List.copyOf(changes);
        }

        private synchronized void set(int target) {
            current.set(target);
            changes.addLast(target);
            if (changes.size() > CHANGES_KEPT) {
                changes.removeFirst();
            }
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ProcessorRoute.class);
    private static final int FETCH_WAIT_MS = 50;
    /**
     * A member of the group learns that a rebalance began from its next heartbeat, and the consumers that joined
     * wait for it until then: with Kafka's 3 s, a consumer added by scaling (or the second of two started together)
     * idled for up to 3 s while the first held every partition.
     */
    static final int HEARTBEAT_MS = 500;

    private final SessionProcessor processor;
    private final DelayQueue delays;
    private final Source source;
    private final Duration idleSweep;
    private final Consumers consumers;
    private long lastProcessed;
    private long lastMeasured;
    private long lastLag = -1;

    public ProcessorRoute(SessionProcessor processor, DelayQueue delays, Source source, Duration idleSweep) {
        this(processor, delays, source, idleSweep, new Consumers(null, source.consumers()));
    }

    /** With {@code consumers.scaling}, the primary cluster's consumers follow demand (see {@link ConsumerScaling}). */
    public ProcessorRoute(SessionProcessor processor, DelayQueue delays, Source source, Duration idleSweep,
                          Consumers consumers) {
        this.processor = processor;
        this.delays = delays;
        this.source = source;
        this.idleSweep = idleSweep;
        this.consumers = consumers;
    }

    @Override
    public void configure() {
        consume(this, "primary", source.primaryBrokers(), consumers.current());
        if (source.backupBrokers() != null && !source.backupBrokers().isBlank()) {
            consume(this, "backup", source.backupBrokers(), source.consumers());
        }
        if (consumers.scaling != null) {
            lastProcessed = processor.processedCount();
            lastMeasured = System.nanoTime();
            from("timer:orrery-vh-scale?period=" + consumers.every.toMillis()).routeId("orrery-viewing-history-scale")
                    .process(e -> rescale());
        }
        from("timer:orrery-vh-idle?period=" + idleSweep.toMillis()).routeId("orrery-viewing-history-idle")
                .process(e -> processor.closeIdle());
        from("timer:orrery-vh-retry?period=250").routeId("orrery-viewing-history-retry")
                .process(e -> delays.retryDue(this::retry, 100, Duration.ZERO));
    }

    /** Measures the last interval and, when the decision changes the count, restarts the primary consumers. */
    private void rescale() throws Exception {
        long processed = processor.processedCount();
        long lag = ConsumerLag.of(source.primaryBrokers(), source.group(), source.topic());
        long measured = System.nanoTime();
        double seconds = Math.max(0.001, (measured - lastMeasured) / 1e9);
        lastMeasured = measured;
        if (lag < 0) {
            lastProcessed = processed;
            return; // the cluster does not answer: no basis for a decision
        }
        double rate = (processed - lastProcessed) / seconds;
        double demand = rate + (lastLag < 0 ? 0 : (lag - lastLag) / seconds);
        lastProcessed = processed;
        lastLag = lag;
        int current = consumers.current();
        consumers.scaling.observe(rate, current, lag);
        int target = consumers.scaling.decide(consumers.clock.millis(), Math.max(0, demand), lag, current);
        consumers.decisions.incrementAndGet();
        if (target != current) {
            String id = "orrery-viewing-history-primary";
            getContext().getRouteController().stopRoute(id);
            getContext().removeRoute(id);
            getContext().addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    consume(this, "primary", source.primaryBrokers(), target);
                }
            });
            consumers.set(target);
            LOG.info("Viewing-history consumers {} -> {} (rate {}/s, lag {}, baseline {}/s per consumer)", current,
                    target, Math.round(rate), lag, Math.round(consumers.baseline()));
        }
    }

    private void consume(RouteBuilder builder, String cluster, String brokers, int count) {
        builder.from(consumerUri(source, brokers, count)).routeId("orrery-viewing-history-" + cluster)
                .process(new EventBatch(processor, delays, cluster, source.batchSize()));
    }

    /** The Kafka endpoint of {@code count} consumers of {@code source}'s group on {@code brokers}. */
    static String consumerUri(Source source, String brokers, int count) {
        // fetchWaitMaxMs: a consumer sends no new fetch to a broker while one is in flight, and a fetch for
        // partitions at their end is held by the broker until this wait passes, so with Kafka's 500 ms the consumer's
        // other partitions, still behind, starve for up to that long whenever some of its partitions have caught up.
        return "kafka:" + source.topic() + "?groupId=" + source.group()
                + "&autoCommitEnable=false&allowManualCommit=true&batching=true&breakOnFirstError=true"
                + "&maxPollRecords=" + source.batchSize() + "&pollTimeoutMs=200&autoOffsetReset=earliest"
                + "&fetchWaitMaxMs=" + FETCH_WAIT_MS + "&heartbeatIntervalMs=" + HEARTBEAT_MS
                // eager: a rebalance revokes every partition, read again from its commit (EventBatch relies on it)
                + "&partitionAssignor=" + RangeAssignor.class.getName()
                + "&consumersCount=" + count
                + "&valueDeserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer"
                + (brokers == null || brokers.isBlank() ? "" : "&brokers=" + brokers);
    }

    private void retry(byte[] record) throws Exception {
        retryWith(processor).process(record);
    }

    /** Processes a deferred event again with {@code processor}; throws when it fails again. */
    public static DelayQueue.Retry retryWith(SessionProcessor processor) {
        return record -> {
            PlaybackEvent event = EventCodec.parse(record);
            List<SessionProcessor.Failure> failures = processor.process(List.of(event));
            if (!failures.isEmpty()) {
                throw failures.get(0).error();
            }
        };
    }
}
