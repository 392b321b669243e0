package io.orrery.viewinghistory.publisher.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;

/**
 * Non-keyed partition choice that avoids losing acknowledged events to an unclean leader election: partitions
 * without a leader are skipped, and among the rest those whose in-sync replicas are all their replicas are
 * preferred (an under-replicated partition's leader holds entries its followers do not). Round robin within the
 * chosen set spreads the load. Only when no partition has a leader does it name one anyway (the record then waits
 * in the producer for a leader, within its delivery timeout).
 */
public final class InSyncPartitioner implements Partitioner {

    private final AtomicInteger next = new AtomicInteger();

    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
        List<PartitionInfo> partitions = cluster.partitionsForTopic(topic);
        List<PartitionInfo> candidates = choose(partitions);
        int turn = next.getAndIncrement() & Integer.MAX_VALUE;
        if (candidates.isEmpty()) {
            int count = partitions.isEmpty() ? cluster.partitionCountForTopic(topic) : partitions.size();
            return count <= 0 ? 0 : turn % count;
        }
        return candidates.get(turn % candidates.size()).partition();
    }

    /** The fully in-sync partitions with a leader, else every partition with a leader. */
    static List<PartitionInfo> choose(List<PartitionInfo> partitions) {
        List<PartitionInfo> led = new ArrayList<>();
        List<PartitionInfo> inSync = new ArrayList<>();
        for (PartitionInfo p : partitions) {
            if (!hasLeader(p)) {
                continue;
            }
            led.add(p);
            if (p.inSyncReplicas() != null && p.replicas() != null
                    && p.inSyncReplicas().length == p.replicas().length) {
                inSync.add(p);
            }
        }
        return inSync.isEmpty() ? led : inSync;
    }

    private static boolean hasLeader(PartitionInfo p) {
        Node leader = p.leader();
        return leader != null && !leader.isEmpty();
    }

    @Override
    public void close() {
    }
}
