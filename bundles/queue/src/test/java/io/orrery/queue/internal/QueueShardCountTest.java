package io.orrery.queue.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orrery.api.queue.QueueId;
import io.orrery.api.queue.QueueMessage;
import io.orrery.cluster.testing.LoopbackMembers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How many shards a new queue gets: as configured, or sized to the cluster's partition threads (auto). */
class QueueShardCountTest {

    private static final QueueOptions AUTO = QueueOptions.DEFAULTS.withShards(QueueOptions.AUTO_SHARDS);

    @Test
    void autoIsOnePerPartitionThreadFromTwoToEight() {
        assertThat(AUTO.shardsFor(1, 1)).isEqualTo(2);
        assertThat(AUTO.shardsFor(1, 2)).isEqualTo(2);
        assertThat(AUTO.shardsFor(2, 2)).isEqualTo(4);
        assertThat(AUTO.shardsFor(3, 2)).isEqualTo(6);
        assertThat(AUTO.shardsFor(4, 2)).isEqualTo(8);
        assertThat(AUTO.shardsFor(1, 64)).isEqualTo(8);
        assertThat(AUTO.shardsFor(Integer.MAX_VALUE, Integer.MAX_VALUE)).isEqualTo(8);
        assertThat(AUTO.shardsFor(0, 0)).isEqualTo(2);
    }

    @Test
    void aConfiguredCountIsKeptWhateverTheCluster() {
        assertThat(QueueOptions.DEFAULTS.withShards(5).shardsFor(1, 2)).isEqualTo(5);
        assertThat(QueueOptions.DEFAULTS.withShards(1).shardsFor(10, 16)).isEqualTo(1);
    }

    @Test
    void aNegativeCountIsRefusedByName() {
        assertThatThrownBy(() -> QueueOptions.DEFAULTS.withShards(-1)).hasMessageStartingWith("shards:");
        assertThatThrownBy(() -> QueueOptions.DEFAULTS.withShards(272)).hasMessageStartingWith("shards:");
    }

    @Test
    void aQueueCreatedOnTwoMembersHasTheirPartitionThreadsAndKeepsTheCountWhenAThirdJoins() {
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        LoopbackMembers members = QueueMembers.of(3);
        List<HazelcastInstance> hz = new ArrayList<>();
        hz.add(members.start(0));
        hz.add(members.start(1));
        try (var queues = ShardedQueueService.start(hz.get(0), AUTO, new SimpleMeterRegistry(), null)) {
            QueueId first = QueueId.of("acme", "two-members");
            assertThat(queues.enqueue(message(first, "m1"))).isTrue();
            assertThat(shardsOf(hz.get(0), first)).isEqualTo(Math.min(8, 2 * threads));

            hz.add(members.start(2));
            assertThat(queues.enqueue(message(first, "m2"))).isTrue();
            assertThat(shardsOf(hz.get(2), first)).as("a queue keeps its count").isEqualTo(Math.min(8, 2 * threads));
            QueueId second = QueueId.of("acme", "three-members");
            assertThat(queues.enqueue(message(second, "m1"))).isTrue();
            assertThat(shardsOf(hz.get(0), second)).isEqualTo(Math.min(8, 3 * threads));
        } finally {
            hz.forEach(h -> h.getLifecycleService().terminate());
        }
    }

    private static QueueMessage message(QueueId queue, String id) {
        return QueueMessage.builder(queue).id(id).payload(id.getBytes(StandardCharsets.UTF_8)).build();
    }

    /** The queue's shard count as the cluster's registry holds it ({@code shards=N;…}). */
    private static int shardsOf(HazelcastInstance hz, QueueId queue) {
        String text = hz.<String, String>getMap(QueueRegistry.MAP).get(queue.toString());
        assertThat(text).as("registered " + queue).isNotNull();
        return Integer.parseInt(text.split(";")[0].substring("shards=".length()));
    }
}
