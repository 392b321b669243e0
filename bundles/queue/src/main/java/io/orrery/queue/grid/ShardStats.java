package io.orrery.queue.grid;

import io.orrery.api.queue.MessageState;
import java.io.IOException;

/** One shard's counts, summed by the caller into a queue's {@link io.orrery.api.queue.QueueStats}. */
public final class ShardStats {

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

    void write(Wire.Out out) throws IOException {
        for (long n : byState) {
            out.writeLong(n);
        }
        for (long n : pendingByPriority) {
            out.writeLong(n);
        }
        out.writeLong(oldestPendingSince);
    }

    void read(Wire.In in) throws IOException {
        for (int i = 0; i < byState.length; i++) {
            byState[i] = in.readLong();
        }
        for (int i = 0; i < pendingByPriority.length; i++) {
            pendingByPriority[i] = in.readLong();
        }
        oldestPendingSince = in.readLong();
    }
}
