package io.orrery.queue.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orrery.api.queue.ClaimRequest;
import io.orrery.api.queue.QueueId;
import io.orrery.api.queue.QueueMessage;
import io.orrery.cluster.testing.LoopbackMembers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A tenant's queues are purged when it is deleted: its meters leave every member's registry (counters and depth
 * gauges), and a tenant created again under the same name gets fresh ones that count and show its depth. Each
 * member makes its meters in a composite of its own that the node's registry joins, as {@code QueueComponent} does.
 */
class QueueMetricsTest {

    private static final QueueId ACME = QueueId.of("acme", "functions");
    private static final QueueId BETA = QueueId.of("beta", "functions");

    @Test
    void aPurgedTenantsMetersLeaveEveryMemberAndARecreatedTenantGetsFreshOnes() throws Exception {
        LoopbackMembers members = QueueMembers.of(2);
        HazelcastInstance one = members.start(0);
        HazelcastInstance two = members.start(1);
        SimpleMeterRegistry nodeOne = new SimpleMeterRegistry();
        SimpleMeterRegistry nodeTwo = new SimpleMeterRegistry();
        QueueOptions options = QueueOptions.DEFAULTS.withShards(2);
        try (var first = ShardedQueueService.start(one, options, composite(nodeOne), null);
             var second = ShardedQueueService.start(two, options, composite(nodeTwo), null)) {
            first.enqueue(message(ACME, "a1"));
            second.enqueue(message(ACME, "a2"));
            first.enqueue(message(BETA, "b1"));
            second.claim(ClaimRequest.of(ACME));
            await().atMost(Duration.ofSeconds(10)).until(() -> !metersOf(nodeTwo, "acme").isEmpty()
                    && nodeTwo.find("orrery.queue.depth").tag("tenant", "beta").gauge() != null);

            assertThat(first.purgeTenant("acme")).isEqualTo(2);

            assertThat(metersOf(nodeOne, "acme")).as("on the member that purged").isEmpty();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(metersOf(nodeTwo, "acme")).as("on the other member").isEmpty());
            assertThat(nodeOne.get("orrery.queue.enqueued").tag("tenant", "beta").counter().count()).isEqualTo(1);
            assertThat(nodeTwo.find("orrery.queue.depth").tag("tenant", "beta").gauges()).isNotEmpty();

            // The new acme, on both members: its counters count from nothing, its depth is read again.
            first.enqueue(message(ACME, "n1"));
            second.enqueue(message(ACME, "n2"));
            for (SimpleMeterRegistry node : List.of(nodeOne, nodeTwo)) {
                assertThat(node.get("orrery.queue.enqueued").tag("tenant", "acme").counter().count()).isEqualTo(1);
                assertThat(node.find("orrery.queue.depth").tag("tenant", "acme").tag("state", "pending").gauge())
                        .isNotNull();
            }
            assertThat(nodeOne.get("orrery.queue.depth").tag("tenant", "acme").tag("state", "pending").gauge()
                    .value() + nodeTwo.get("orrery.queue.depth").tag("tenant", "acme").tag("state", "pending")
                    .gauge().value()).as("the new acme's depth over both members").isEqualTo(2);
        } finally {
            one.getLifecycleService().terminate();
            two.getLifecycleService().terminate();
        }
    }

    /** The queue's meters as a component makes them: in its own composite, which the node's registry joins. */
    private static CompositeMeterRegistry composite(SimpleMeterRegistry node) {
        CompositeMeterRegistry meters = new CompositeMeterRegistry();
        meters.add(node);
        return meters;
    }

    private static List<Meter> metersOf(SimpleMeterRegistry node, String tenant) {
        return node.getMeters().stream().filter(m -> tenant.equals(m.getId().getTag("tenant"))).toList();
    }

    private static QueueMessage message(QueueId queue, String id) {
        return QueueMessage.builder(queue).id(id).payload(id.getBytes(StandardCharsets.UTF_8)).build();
    }
}
