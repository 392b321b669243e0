package io.orrery.viewinghistory.internal.processor;

import io.orrery.viewinghistory.internal.event.EventCodec;
import io.orrery.viewinghistory.internal.event.PlaybackEvent;
import java.time.Duration;
import java.util.List;
import org.apache.camel.builder.RouteBuilder;

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

    private final SessionProcessor processor;
    private final DelayQueue delays;
    private final Source source;
    private final Duration idleSweep;

    public ProcessorRoute(SessionProcessor processor, DelayQueue delays, Source source, Duration idleSweep) {
        this.processor = processor;
        this.delays = delays;
        this.source = source;
        this.idleSweep = idleSweep;
    }

    @Override
    public void configure() {
        consume("primary", source.primaryBrokers());
        if (source.backupBrokers() != null && !source.backupBrokers().isBlank()) {
            consume("backup", source.backupBrokers());
        }
        from("timer:orrery-vh-idle?period=" + idleSweep.toMillis()).routeId("orrery-viewing-history-idle")
                .process(e -> processor.closeIdle());
        from("timer:orrery-vh-retry?period=250").routeId("orrery-viewing-history-retry")
                .process(e -> delays.retryDue(this::retry, 100, Duration.ZERO));
    }

    private void consume(String cluster, String brokers) {
        String uri = "kafka:" + source.topic() + "?groupId=" + source.group()
                + "&autoCommitEnable=false&allowManualCommit=true&batching=true&breakOnFirstError=true"
                + "&maxPollRecords=" + source.batchSize() + "&pollTimeoutMs=200&autoOffsetReset=earliest"
                + "&consumersCount=" + source.consumers()
                + "&valueDeserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer"
                + (brokers == null || brokers.isBlank() ? "" : "&brokers=" + brokers);
        from(uri).routeId("orrery-viewing-history-" + cluster).process(new EventBatch(processor, delays, cluster));
    }

    private void retry(byte[] record) throws Exception {
        PlaybackEvent event = EventCodec.parse(record);
        List<SessionProcessor.Failure> failures = processor.process(List.of(event));
        if (!failures.isEmpty()) {
            throw failures.get(0).error();
        }
    }
}
