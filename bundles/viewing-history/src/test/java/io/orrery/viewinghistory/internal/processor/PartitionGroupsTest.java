package io.orrery.viewinghistory.internal.processor;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import io.orrery.cluster.ClusterMembers;
import io.orrery.cluster.MemberSettings;
import io.orrery.cluster.testing.LoopbackMembers;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The idle sweep's grouping, against a real member's partition table. */
class PartitionGroupsTest {

    private static HazelcastInstance member;

    @BeforeAll
    static void start() {
        String cluster = "orrery-vh-groups-" + UUID.randomUUID();
        member = LoopbackMembers.onFreePort(port -> ClusterMembers.start(new MemberSettings(cluster, port,
                List.of("127.0.0.1:" + port), "127.0.0.1", 0, 0)));
    }

    @AfterAll
    static void stop() {
        member.getLifecycleService().terminate();
    }

    @Test
    void everyKeyIsInExactlyOneGroupAndEachGroupIsOnePartitionOfItsOwn() {
        Set<String> keys = IntStream.range(0, 5000).mapToObj(i -> "session-" + i).collect(Collectors.toSet());

        List<Set<String>> groups = PartitionGroups.of(keys, member.getPartitionService());

        Set<String> union = new HashSet<>();
        Set<Integer> partitionsSeen = new HashSet<>();
        for (Set<String> group : groups) {
            Set<Integer> owners = group.stream().map(k -> member.getPartitionService().getPartition(k)
                    .getPartitionId()).collect(Collectors.toSet());
            assertThat(owners).as("partitions of one group").hasSize(1);
            assertThat(partitionsSeen.add(owners.iterator().next())).as("a partition in two groups").isTrue();
            union.addAll(group);
        }
        assertThat(union).isEqualTo(keys);
        assertThat(groups.stream().mapToInt(Set::size).sum()).isEqualTo(keys.size());
        // 5,000 keys cover every one of the 271 partitions: one call each, not one call over all of them.
        assertThat(groups).hasSize(member.getPartitionService().getPartitions().size());
    }

    @Test
    void noKeysMakeNoGroups() {
        assertThat(PartitionGroups.of(Set.of(), member.getPartitionService())).isEmpty();
    }
}
