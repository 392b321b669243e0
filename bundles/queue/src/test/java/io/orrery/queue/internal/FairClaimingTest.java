package io.orrery.queue.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orrery.api.queue.Claim;
import io.orrery.api.queue.ClaimRequest;
import io.orrery.api.queue.QueueId;
import io.orrery.api.queue.QueueMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Claims across tenants follow the configured weights; a flood cannot starve a small tenant. */
class FairClaimingTest {

    private static HazelcastInstance member;
    private static ShardedQueueService queues;

    @BeforeAll
    static void start() {
        member = QueueMembers.of(1).start(0);
        queues = ShardedQueueService.start(member, QueueOptions.DEFAULTS
                .withTenantWeights(Map.of("gold", 3, "bronze", 1)), new SimpleMeterRegistry(), null);
    }

    @AfterAll
    static void stop() {
        queues.close();
        member.getLifecycleService().terminate();
    }

    private static void fill(QueueId q, int n) {
        List<QueueMessage> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(QueueMessage.builder(q).id(q.tenant() + "-" + i).payload(new byte[16]).build());
            if (batch.size() == 1000 || i == n - 1) {
                queues.enqueueAll(batch);
                batch.clear();
            }
        }
    }

    @Test
    void weightsAreHonouredWhenEveryTenantHasWork() throws Exception {
        String name = "work-" + UUID.randomUUID().toString().substring(0, 8);
        fill(QueueId.of("gold", name), 2000);
        fill(QueueId.of("bronze", name), 2000);
        Map<String, Integer> got = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            List<Claim> claims = queues.claim(ClaimRequest.of(QueueId.anyTenant(name)).max(i % 2 == 0 ? 1 : 7));
            claims.forEach(c -> got.merge(c.message().tenant(), 1, Integer::sum));
            queues.ackAll(claims);
        }
        double ratio = got.get("gold") / (double) got.get("bronze");
        assertThat(ratio).as("gold:bronze claims %s", got).isBetween(2.7, 3.3);
    }

    @Test
    void aSmallTenantIsServedPromptlyBesideAFloodOf100k() throws Exception {
        String name = "flood-" + UUID.randomUUID().toString().substring(0, 8);
        fill(QueueId.of("flooder", name), 100_000);
        fill(QueueId.of("small", name), 10);
        List<String> order = new ArrayList<>();
        while (order.stream().filter(t -> t.equals("small")).count() < 10 && order.size() < 1000) {
            List<Claim> claims = queues.claim(ClaimRequest.of(QueueId.anyTenant(name)).max(4));
            claims.forEach(c -> order.add(c.message().tenant()));
            queues.ackAll(claims);
        }
        // equal weights: the small tenant's ten messages come within the first ~20 claims, not after 100,000
        assertThat(order.size()).isLessThanOrEqualTo(24);
        assertThat(queues.stats(QueueId.of("flooder", name)).depth()).isGreaterThan(99_970);
    }
}
