package io.orrery.viewinghistory.internal.processor;

import com.hazelcast.partition.PartitionService;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keys grouped by the grid partition that owns them. Hazelcast runs a multi-key entry processor
 * ({@code submitToKeys}) on each partition of the call over every key of the call, hashing each to skip the other
 * partitions' keys: one call over n keys spread over p partitions costs n × p hashes. One call per group costs n.
 */
final class PartitionGroups {

    private PartitionGroups() {
    }

    /** The keys, one set per partition that owns some of them. */
    static <K> List<Set<K>> of(Collection<K> keys, PartitionService partitions) {
        Map<Integer, Set<K>> groups = new HashMap<>();
        for (K key : keys) {
            groups.computeIfAbsent(partitions.getPartition(key).getPartitionId(), p -> new HashSet<>()).add(key);
        }
        return new ArrayList<>(groups.values());
    }
}
