package io.orrery.queue.internal;

/**
 * What the parts of a member's queue service share: the queues known to the cluster, the calls to their shards,
 * the cluster's time, the meters, and the split-brain guard every operation passes first.
 */
record QueueContext(QueueRegistry registry, ShardCalls calls, QueueClock clock, QueueMetrics metrics,
                    MajorityGuard guard) {
}
