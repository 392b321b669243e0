package io.orrery.queue.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;

/** The lease reaper's visit to a shard: promotes due delays, expires leases, forgets old tombstones. */
public final class TickOperation extends ShardOperation {

    public TickOperation() {
    }

    public TickOperation(long now, ShardRules rules) {
        super(now, rules);
    }

    @Override
    protected boolean alwaysTells() {
        return true;
    }

    @Override
    protected ShardReply apply(Shard shard) {
        ShardReply r = new ShardReply();
        r.add(shard.reap(now, rules));
        return r;
    }

    @Override
    protected void writeArgs(ObjectDataOutput out) {
    }

    @Override
    protected void readArgs(ObjectDataInput in) {
    }
}
