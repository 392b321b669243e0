package io.orrery.queue.grid;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import io.orrery.api.queue.MessageState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads a shard without changing it: statistics, a page of messages in one state, or one message by id. */
public final class InspectOperation extends ShardOperation implements ReadOnly {

    public enum Kind { STATS, BROWSE, FIND }

    private Kind kind;
    private MessageState state;
    private int limit;
    private String id;

    public InspectOperation() {
    }

    private InspectOperation(long now, ShardRules rules, Kind kind, MessageState state, int limit, String id) {
        super(now, rules);
        this.kind = kind;
        this.state = state;
        this.limit = limit;
        this.id = id;
    }

    public static InspectOperation stats(long now, ShardRules rules) {
        return new InspectOperation(now, rules, Kind.STATS, MessageState.PENDING, 0, null);
    }

    public static InspectOperation browse(long now, ShardRules rules, MessageState state, int limit) {
        return new InspectOperation(now, rules, Kind.BROWSE, state, limit, null);
    }

    public static InspectOperation find(long now, ShardRules rules, String id) {
        return new InspectOperation(now, rules, Kind.FIND, MessageState.PENDING, 0, id);
    }

    @Override
    protected ShardReply apply(Shard shard) {
        ShardReply r = new ShardReply();
        switch (kind) {
            case STATS -> r.stats = shard.stats();
            case BROWSE -> r.slots = shard.browse(state, limit);
            case FIND -> {
                r.slots = new ArrayList<>(1);
                r.slots.add(shard.find(id));
            }
        }
        return r;
    }

    @Override
    public EntryProcessor<String, Shard, byte[]> getBackupProcessor() {
        return null;
    }

    @Override
    protected void writeArgs(ObjectDataOutput out) throws IOException {
        out.writeByte(kind.ordinal());
        out.writeByte(state.ordinal());
        out.writeInt(limit);
        out.writeString(id);
    }

    @Override
    protected void readArgs(ObjectDataInput in) throws IOException {
        kind = Kind.values()[in.readByte()];
        state = MessageState.values()[in.readByte()];
        limit = in.readInt();
        id = in.readString();
    }

    /** The found message, or null. */
    public static Slot found(ShardReply reply) {
        List<Slot> slots = reply.slots();
        return slots.isEmpty() ? null : slots.get(0);
    }
}
