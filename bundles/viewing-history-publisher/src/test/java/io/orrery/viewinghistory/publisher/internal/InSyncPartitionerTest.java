package io.orrery.viewinghistory.publisher.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.junit.jupiter.api.Test;

class InSyncPartitionerTest {

    private static final Node A = new Node(1, "a", 9092);
    private static final Node B = new Node(2, "b", 9092);
    private static final Node C = new Node(3, "c", 9092);
    private static final Node[] ALL = {A, B, C};

    @Test
    void skipsLeaderlessAndPrefersFullyInSyncPartitions() {
        Cluster cluster = cluster(
                new PartitionInfo("t", 0, null, ALL, ALL),                    // no leader
                new PartitionInfo("t", 1, A, ALL, new Node[] {A}),            // under-replicated
                new PartitionInfo("t", 2, B, ALL, ALL),
                new PartitionInfo("t", 3, C, ALL, ALL),
                new PartitionInfo("t", 4, Node.noNode(), ALL, ALL));          // leader unknown
        assertThat(chosen(cluster, 100)).containsExactlyInAnyOrder(2, 3);
    }

    @Test
    void takesUnderReplicatedPartitionsWhenNoneIsFullyInSyncButNeverLeaderlessOnes() {
        Cluster cluster = cluster(
                new PartitionInfo("t", 0, null, ALL, new Node[0]),
                new PartitionInfo("t", 1, A, ALL, new Node[] {A}),
                new PartitionInfo("t", 2, B, ALL, new Node[] {B, C}));
        assertThat(chosen(cluster, 100)).containsExactlyInAnyOrder(1, 2);
    }

    @Test
    void stillNamesAPartitionWhenNoneHasALeader() {
        Cluster cluster = cluster(new PartitionInfo("t", 0, null, ALL, ALL), new PartitionInfo("t", 1, null, ALL, ALL));
        assertThat(chosen(cluster, 10)).isSubsetOf(0, 1).isNotEmpty();
    }

    private static Set<Integer> chosen(Cluster cluster, int times) {
        InSyncPartitioner partitioner = new InSyncPartitioner();
        Set<Integer> chosen = new HashSet<>();
        for (int i = 0; i < times; i++) {
            chosen.add(partitioner.partition("t", null, null, null, new byte[1], cluster));
        }
        return chosen;
    }

    private static Cluster cluster(PartitionInfo... partitions) {
        return new Cluster("id", List.of(ALL), List.of(partitions), Set.of(), Set.of());
    }
}
