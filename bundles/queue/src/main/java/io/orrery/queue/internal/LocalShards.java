package io.orrery.queue.internal;

import com.hazelcast.cluster.Member;
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
        Member owner = owner(shardKey);
        return owner != null && owner.localMember();
    }

    /** The member that owns the shard now, or null while unknown. */
    Member owner(String shardKey) {
        return partitions.computeIfAbsent(shardKey, k -> hz.getPartitionService().getPartition(k)).getOwner();
    }
}
