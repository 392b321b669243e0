package io.orrery.viewinghistory.internal.processor;

import io.orrery.viewinghistory.internal.event.EventCodec;
import io.orrery.viewinghistory.internal.event.PlaybackEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.builder.RouteBuilder;
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

    /** The consumers of the primary cluster, as scaled; shared with the status command. */
    public static final class Consumers {
        private final ConsumerScaling scaling;
        private final AtomicInteger current;

        public Consumers(ConsumerScaling scaling, int initial) {
            this.scaling = scaling;
            this.current = new AtomicInteger(initial);
        }

        public int current() {
            return current.get();
        }

        public double baseline() {
            return scaling == null ? 0 : scaling.baseline();
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ProcessorRoute.class);
    private static final Duration SCALE_EVERY = Duration.ofSeconds(10);

    private final SessionProcessor processor;
    private final DelayQueue delays;
    private final Source source;
    private final Duration idleSweep;
    private final Consumers consumers;
    private long lastProcessed;
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
            from("timer:orrery-vh-scale?period=" + SCALE_EVERY.toMillis()).routeId("orrery-viewing-history-scale")
                    .process(e -> rescale());
        }
        from("timer:orrery-vh-idle?period=" + idleSweep.toMillis()).routeId("orrery-viewing-history-idle")
                .process(e -> processor.closeIdle());
        from("timer:orrery-vh-retry?period=250").routeId("orrery-viewing-history-retry")
                .process(e -> delays.retryDue(this::retry, 100, Duration.ZERO));
    }

    /** Measures the last interval and, when the decision changes the count, restarts the primary consumers. */
    private void rescale() throws Exception {
        double seconds = SCALE_EVERY.toMillis() / 1000.0;
        long processed = processor.processedCount();
        long lag = ConsumerLag.of(source.primaryBrokers(), source.group(), source.topic());
        if (lag < 0) {
            return; // the cluster does not answer: no basis for a decision
        }
        double rate = (processed - lastProcessed) / seconds;
        double demand = rate + (lastLag < 0 ? 0 : (lag - lastLag) / seconds);
        lastProcessed = processed;
        lastLag = lag;
        int current = consumers.current();
        consumers.scaling.observe(rate, current, lag);
        int target = consumers.scaling.decide(System.currentTimeMillis(), Math.max(0, demand), lag, current);
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
            consumers.current.set(target);
            LOG.info("Viewing-history consumers {} -> {} (rate {}/s, lag {}, baseline {}/s per consumer)", current,
                    target, Math.round(rate), lag, Math.round(consumers.baseline()));
        }
    }

    private void consume(RouteBuilder builder, String cluster, String brokers, int count) {
        String uri = "kafka:" + source.topic() + "?groupId=" + source.group()
                + "&autoCommitEnable=false&allowManualCommit=true&batching=true&breakOnFirstError=true"
                + "&maxPollRecords=" + source.batchSize() + "&pollTimeoutMs=200&autoOffsetReset=earliest"
                + "&consumersCount=" + count
                + "&valueDeserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer"
                + (brokers == null || brokers.isBlank() ? "" : "&brokers=" + brokers);
        builder.from(uri).routeId("orrery-viewing-history-" + cluster)
                .process(new EventBatch(processor, delays, cluster));
    }

    private void retry(byte[] record) throws Exception {
        PlaybackEvent event = EventCodec.parse(record);
        List<SessionProcessor.Failure> failures = processor.process(List.of(event));
        if (!failures.isEmpty()) {
            throw failures.get(0).error();
        }
    }
}
