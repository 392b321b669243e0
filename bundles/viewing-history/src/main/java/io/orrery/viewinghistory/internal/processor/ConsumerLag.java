package io.orrery.viewinghistory.internal.processor;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How many records of the topic the processor's consumer group has not processed yet, on one cluster: from each
 * partition's committed offset, or from how far it was processed where open sessions hold the commit back
 * ({@link CommitMetadata}).
 */
public final class ConsumerLag {

    private ConsumerLag() {
    }

    /**
     * Where the group stands on the topic: {@code records} not processed yet, and {@code heldBack}, records processed
     * but not committed past because a session with events among them is not in the store yet (they are read again
     * after a restart of the whole cluster).
     */
    public record Position(long records, long heldBack) {
        /** The cluster did not answer. */
        public static final Position UNKNOWN = new Position(-1, -1);
    }

    /** The group's lag summed over the topic's partitions; -1 when the cluster does not answer within 3 s. */
    public static long of(String bootstrap, String group, String topic) {
        return position(bootstrap, group, topic).records();
    }

    /** The group's position summed over the topic's partitions; {@link Position#UNKNOWN} without an answer in 3 s. */
    public static Position position(String bootstrap, String group, String topic) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap, "request.timeout.ms", "3000",
                "default.api.timeout.ms", "3000"))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(3, TimeUnit.SECONDS);
            var partitions = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get(3, TimeUnit.SECONDS)
                    .get(topic).partitions().stream().map(p -> new TopicPartition(topic, p.partition()))
                    .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
            long lag = 0;
            long heldBack = 0;
            for (var end : admin.listOffsets(partitions).all().get(3, TimeUnit.SECONDS).entrySet()) {
                OffsetAndMetadata done = committed.get(end.getKey());
                long processed = CommitMetadata.processed(done);
                lag += Math.max(0, end.getValue().offset() - processed);   // a log cut short counts as caught up
                heldBack += done == null ? 0 : processed - done.offset();
            }
            return new Position(lag, heldBack);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return Position.UNKNOWN;
        }
    }
}
