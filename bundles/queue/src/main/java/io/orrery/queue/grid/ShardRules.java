package io.orrery.queue.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;

/**
 * The settings a shard operation needs, sent with every operation (the queue's settings live in the registry,
 * not in the shard, so a settings change applies at once to every shard).
 */
public final class ShardRules implements DataSerializable {

    int maxAttempts;
    long retryDelay;
    long tombstoneRetention;
    int maxTombstones;
    boolean journaled;

    public ShardRules() {
    }

    /**
     * @param maxAttempts        deliveries before a failing message goes dead (a message may override it)
     * @param retryDelay         micros an expired lease's message waits before it is claimable again
     * @param tombstoneRetention micros a finished message's id is remembered to refuse duplicates
     * @param maxTombstones      at most this many finished ids remembered per shard (oldest forgotten first)
     * @param journaled          whether changes are tracked for write-behind persistence
     */
    public ShardRules(int maxAttempts, long retryDelay, long tombstoneRetention, int maxTombstones, boolean journaled) {
        this.maxAttempts = maxAttempts;
        this.retryDelay = retryDelay;
        this.tombstoneRetention = tombstoneRetention;
        this.maxTombstones = maxTombstones;
        this.journaled = journaled;
    }

    public int maxAttempts() { return maxAttempts; }
    public long retryDelay() { return retryDelay; }
    public boolean journaled() { return journaled; }

    int maxAttemptsOf(Slot s) {
        return s.maxAttempts > 0 ? s.maxAttempts : maxAttempts;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeInt(maxAttempts);
        out.writeLong(retryDelay);
        out.writeLong(tombstoneRetention);
        out.writeInt(maxTombstones);
        out.writeBoolean(journaled);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        maxAttempts = in.readInt();
        retryDelay = in.readLong();
        tombstoneRetention = in.readLong();
        maxTombstones = in.readInt();
        journaled = in.readBoolean();
    }
}
