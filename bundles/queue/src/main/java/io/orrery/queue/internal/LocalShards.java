package io.orrery.queue.internal;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.Partition;
import java.util.concurrent.ConcurrentHashMap;

/** Which shards this member owns now (their partition's primary replica is here). */
final class LocalShards {

    private final HazelcastInstance hz;
    private final ConcurrentHashMap<String, Partition> partitions = new ConcurrentHashMap<>();

    LocalShards(HazelcastInstance hz) {
        this.hz = hz;
    }

    boolean owns(String shardKey) {
        var owner = partitions.computeIfAbsent(shardKey, k -> hz.getPartitionService().getPartition(k)).getOwner();
        return owner != null && owner.localMember();
    }
}
