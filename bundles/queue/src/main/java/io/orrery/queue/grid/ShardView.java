package io.orrery.queue.grid;

import java.io.IOException;

/**
 * What a caller learns about a shard from any reply: how many messages are claimable, the best one's order key
 * (to pick the shard with the most urgent head across a queue's shards) and when something becomes due (a delay
 * ends or a lease expires). {@code version} orders views of the same shard, so a cache keeps the newest.
 */
public final class ShardView {

    long version;
    int ready;
    int headPriority;
    long headDeadline;
    long headStamp;
    long nextDue = Slot.NONE;

    public ShardView() {
    }

    public long version() { return version; }
    public int ready() { return ready; }
    public int headPriority() { return headPriority; }
    public long headDeadline() { return headDeadline; }
    public long headStamp() { return headStamp; }
    /** Epoch micros of the next delay end or lease expiry, {@link Slot#NONE} when none. */
    public long nextDue() { return nextDue; }

    /** Negative when this shard's head should be claimed before the other's (priority, deadline, FIFO). */
    public int compareHeads(ShardView o) {
        if (headPriority != o.headPriority) {
            return Integer.compare(o.headPriority, headPriority);
        }
        if (headDeadline != o.headDeadline) {
            return Long.compare(headDeadline, o.headDeadline);
        }
        return Long.compare(headStamp, o.headStamp);
    }

    void write(Wire.Out out) throws IOException {
        out.writeLong(version);
        out.writeInt(ready);
        out.writeByte(headPriority);
        out.writeLong(headDeadline);
        out.writeLong(headStamp);
        out.writeLong(nextDue);
    }

    void read(Wire.In in) throws IOException {
        version = in.readLong();
        ready = in.readInt();
        headPriority = in.readByte();
        headDeadline = in.readLong();
        headStamp = in.readLong();
        nextDue = in.readLong();
    }

    @Override
    public String toString() {
        return "ShardView[v" + version + " ready=" + ready + " head=p" + headPriority + "]";
    }
}
