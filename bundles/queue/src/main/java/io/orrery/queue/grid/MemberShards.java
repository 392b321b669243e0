package io.orrery.queue.grid;

/**
 * The queue service of the member that owns a shard, told by each operation that changed the shard, so that the
 * member's lease reaper knows when the shard is next due and its journal writer knows which shards owe writes,
 * without polling every shard. Found in the member's {@code HazelcastInstance.getUserContext()} under
 * {@link #CONTEXT_KEY}; absent (tests of the shard alone) means nobody listens.
 */
public interface MemberShards {

    String CONTEXT_KEY = "io.orrery.queue.member";

    /**
     * Runs on the partition thread right after the operation: must not block.
     *
     * @param shardKey        the shard's map key
     * @param nextDue         epoch micros of its next delay end or lease expiry, {@link Slot#NONE} when none
     * @param oldestUnwritten epoch micros of its oldest change not yet in the store, {@link Slot#NONE} when none
     */
    void changed(String shardKey, long nextDue, long oldestUnwritten);
}
