package io.orrery.queue.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import io.orrery.api.queue.MessageState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One message as a shard holds it, and as it travels between caller and shard (enqueue input, claims, browsing,
 * journal rows). All times are epoch microseconds; {@link #NONE} stands for an absent deadline or time.
 *
 * <p>Mutable because the shard moves it between states in place; a shard never hands out its own instance
 * (replies are serialized, inputs are copied on the way in).
 */
public final class Slot implements DataSerializable, Wire.Writable {

    public static final long NONE = Long.MAX_VALUE;

    // identity and content, fixed at enqueue
    String id;
    int priority;
    long deadline = NONE;
    long notBefore = NONE;
    String exclusiveKey;
    int maxAttempts;
    String traceId;
    String spanId;
    byte[] payload;
    long enqueuedAt;

    // life in the shard
    MessageState state;
    long seq;
    /** FIFO position within a priority and deadline: enqueue time, or the time a delay ended. */
    long orderStamp;
    /** When it became (or becomes) claimable: the start of the enqueue-to-claim wait. */
    long availableAt;
    int attempts;
    String leaseToken;
    long leaseExpiry = NONE;
    String lastError;
    long stateSince;
    long version;
    /** Whether the store holds a row for this message (some version of it): then a write is an update. */
    boolean stored;

    public Slot() {
    }

    /** A new message as the caller sends it to be enqueued. */
    public static Slot incoming(String id, int priority, long deadline, long notBefore, String exclusiveKey,
                                int maxAttempts, String traceId, String spanId, byte[] payload, long enqueuedAt) {
        Slot s = new Slot();
        s.id = id;
        s.priority = priority;
        s.deadline = deadline;
        s.notBefore = notBefore;
        s.exclusiveKey = exclusiveKey;
        s.maxAttempts = maxAttempts;
        s.traceId = traceId;
        s.spanId = spanId;
        s.payload = payload;
        s.enqueuedAt = enqueuedAt;
        s.orderStamp = enqueuedAt;
        s.availableAt = enqueuedAt;
        s.state = MessageState.PENDING;
        return s;
    }

    /** Its lease ends (expired, given back or rejected): no token, no expiry, and why. */
    void endLease(String reason) {
        leaseToken = null;
        leaseExpiry = NONE;
        lastError = reason;
    }

    public Slot copy() {
        Slot s = new Slot();
        s.id = id;
        s.priority = priority;
        s.deadline = deadline;
        s.notBefore = notBefore;
        s.exclusiveKey = exclusiveKey;
        s.maxAttempts = maxAttempts;
        s.traceId = traceId;
        s.spanId = spanId;
        s.payload = payload;
        s.enqueuedAt = enqueuedAt;
        s.state = state;
        s.seq = seq;
        s.orderStamp = orderStamp;
        s.availableAt = availableAt;
        s.attempts = attempts;
        s.leaseToken = leaseToken;
        s.leaseExpiry = leaseExpiry;
        s.lastError = lastError;
        s.stateSince = stateSince;
        s.version = version;
        s.stored = stored;
        return s;
    }

    public String id() { return id; }
    public int priority() { return priority; }
    public long deadline() { return deadline; }
    public long notBefore() { return notBefore; }
    public String exclusiveKey() { return exclusiveKey; }
    public int maxAttempts() { return maxAttempts; }
    public String traceId() { return traceId; }
    public String spanId() { return spanId; }
    public byte[] payload() { return payload; }
    public long enqueuedAt() { return enqueuedAt; }
    public MessageState state() { return state; }
    public long orderStamp() { return orderStamp; }
    public long availableAt() { return availableAt; }
    public int attempts() { return attempts; }
    public String leaseToken() { return leaseToken; }
    public long leaseExpiry() { return leaseExpiry; }
    public String lastError() { return lastError; }
    public long stateSince() { return stateSince; }
    public long version() { return version; }
    public long seq() { return seq; }
    public boolean stored() { return stored; }

    /** Restores a persisted message: its state, attempts and times as they were written. */
    public Slot restoredAs(MessageState state, int attempts, long orderStamp, long availableAt, String lastError,
                           long stateSince, long version) {
        this.state = state;
        this.attempts = attempts;
        this.orderStamp = orderStamp;
        this.availableAt = availableAt;
        this.lastError = lastError;
        this.stateSince = stateSince;
        this.version = version;
        return this;
    }

    /** Marks a message read back from the store: it has a row. */
    public Slot markStored() {
        this.stored = true;
        return this;
    }

    /** Writes slots with their count, as {@link #readList} reads them (the operations that carry a shard's messages). */
    static void writeList(ObjectDataOutput out, List<Slot> slots) throws IOException {
        out.writeInt(slots.size());
        for (Slot s : slots) {
            s.writeData(out);
        }
    }

    static List<Slot> readList(ObjectDataInput in) throws IOException {
        int n = in.readInt();
        List<Slot> slots = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Slot s = new Slot();
            s.readData(in);
            slots.add(s);
        }
        return slots;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        write(Wire.of(out));
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        read(Wire.of(in));
    }

    @Override
    public void write(Wire.Out out) throws IOException {
        out.writeString(id);
        out.writeByte(priority);
        out.writeLong(deadline);
        out.writeLong(notBefore);
        out.writeString(exclusiveKey);
        out.writeInt(maxAttempts);
        out.writeString(traceId);
        out.writeString(spanId);
        out.writeBytes(payload);
        out.writeLong(enqueuedAt);
        out.writeByte(state.ordinal());
        out.writeLong(seq);
        out.writeLong(orderStamp);
        out.writeLong(availableAt);
        out.writeInt(attempts);
        out.writeString(leaseToken);
        out.writeLong(leaseExpiry);
        out.writeString(lastError);
        out.writeLong(stateSince);
        out.writeLong(version);
        out.writeBoolean(stored);
    }

    void read(Wire.In in) throws IOException {
        id = in.readString();
        priority = in.readByte();
        deadline = in.readLong();
        notBefore = in.readLong();
        exclusiveKey = in.readString();
        maxAttempts = in.readInt();
        traceId = in.readString();
        spanId = in.readString();
        payload = in.readBytes();
        enqueuedAt = in.readLong();
        state = MessageState.values()[in.readByte()];
        seq = in.readLong();
        orderStamp = in.readLong();
        availableAt = in.readLong();
        attempts = in.readInt();
        leaseToken = in.readString();
        leaseExpiry = in.readLong();
        lastError = in.readString();
        stateSince = in.readLong();
        version = in.readLong();
        stored = in.readBoolean();
    }

    @Override
    public String toString() {
        return "Slot[" + id + " " + state + " p" + priority + " seq=" + seq + " attempts=" + attempts + "]";
    }
}
