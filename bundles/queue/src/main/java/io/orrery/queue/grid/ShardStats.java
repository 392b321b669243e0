package io.orrery.queue.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import io.orrery.api.queue.MessageState;
import java.io.IOException;

/** One shard's counts, summed by the caller into a queue's {@link io.orrery.api.queue.QueueStats}. */
public final class ShardStats implements DataSerializable {

    long[] byState = new long[MessageState.values().length];
    long[] pendingByPriority = new long[10];
    /** Epoch micros when the oldest claimable message became claimable, {@link Slot#NONE} when none. */
    long oldestPendingSince = Slot.NONE;

    public ShardStats() {
    }

    public long count(MessageState state) { return byState[state.ordinal()]; }
    public long pendingWithPriority(int priority) { return pendingByPriority[priority]; }
    public long oldestPendingSince() { return oldestPendingSince; }

    /** Adds another shard's counts into this one. */
    public ShardStats add(ShardStats o) {
        for (int i = 0; i < byState.length; i++) {
            byState[i] += o.byState[i];
        }
        for (int i = 0; i < pendingByPriority.length; i++) {
            pendingByPriority[i] += o.pendingByPriority[i];
        }
        oldestPendingSince = Math.min(oldestPendingSince, o.oldestPendingSince);
        return this;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLongArray(byState);
        out.writeLongArray(pendingByPriority);
        out.writeLong(oldestPendingSince);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        byState = in.readLongArray();
        pendingByPriority = in.readLongArray();
        oldestPendingSince = in.readLong();
    }
}
