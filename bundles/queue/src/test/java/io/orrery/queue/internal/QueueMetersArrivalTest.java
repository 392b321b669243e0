package io.orrery.queue.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orrery.api.queue.QueueId;
import io.orrery.api.queue.QueueMessage;
import io.orrery.cluster.testing.LoopbackMembers;
import java.lang.annotation.Annotation;
import org.junit.jupiter.api.Test;

/**
 * The node's registry may be published after the queues started (Karaf starts bundles in any order): what the
 * queues record from then on is in it, on meters made before it came as on new ones (counts from before it came
 * are not, as after a restart), until it goes.
 */
class QueueMetersArrivalTest {

    @Test
    void aRegistryPublishedAfterTheQueuesStartedHasTheirMeters() throws Exception {
        LoopbackMembers members = QueueMembers.of(1);
        HazelcastInstance member = members.start(0);
        QueueComponent queues = new QueueComponent();
        var hazelcast = QueueComponent.class.getDeclaredField("hazelcast");
        hazelcast.setAccessible(true);
        hazelcast.set(queues, member);
        try {
            queues.activate(config());
            QueueId before = QueueId.of("acme", "early");
            queues.enqueue(QueueMessage.builder(before).id("m1").payload(new byte[] {1}).build());

            SimpleMeterRegistry node = new SimpleMeterRegistry();
            queues.bindMeters(node);
            QueueId after = QueueId.of("acme", "late");
            queues.enqueue(QueueMessage.builder(after).id("m2").payload(new byte[] {1}).build());
            queues.enqueue(QueueMessage.builder(before).id("m1b").payload(new byte[] {1}).build());

            assertThat(node.get("orrery.queue.enqueued").tag("tenant", "acme").tag("queue", "early").counter()
                    .count()).isEqualTo(1);
            assertThat(node.get("orrery.queue.enqueued").tag("tenant", "acme").tag("queue", "late").counter()
                    .count()).isEqualTo(1);
            assertThat(node.find("orrery.queue.depth").tag("queue", "early").gauges()).isNotEmpty();

            queues.unbindMeters(node);
            queues.enqueue(QueueMessage.builder(after).id("m3").payload(new byte[] {1}).build());
            assertThat(node.get("orrery.queue.enqueued").tag("queue", "late").counter().count()).isEqualTo(1);
        } finally {
            queues.deactivate();
            member.getLifecycleService().terminate();
        }
    }

    private static QueueComponent.Config config() {
        return new QueueComponent.Config() {
            @Override public Class<? extends Annotation> annotationType() { return QueueComponent.Config.class; }
            @Override public long leaseSeconds() { return 30; }
            @Override public int maxAttempts() { return 5; }
            @Override public long retryDelayMillis() { return 100; }
            @Override public int shards() { return 2; }
            @Override public String tenantWeights() { return ""; }
            @Override public String persistence() { return "none"; }
            @Override public long flushIntervalMillis() { return 100; }
            @Override public long idempotencyWindowSeconds() { return 60; }
            @Override public int idempotencyMaxPerShard() { return 1000; }
        };
    }
}
