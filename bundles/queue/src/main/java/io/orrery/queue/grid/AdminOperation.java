package io.orrery.queue.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import java.io.IOException;

/** Administrative changes to a shard: cancel one message, replay dead letters, purge. The reply counts them. */
public final class AdminOperation extends ShardOperation {

    public enum Kind { CANCEL, REPLAY, PURGE }

    private Kind kind;
    private String id;
    private int max;

    public AdminOperation() {
    }

    private AdminOperation(long now, ShardRules rules, Kind kind, String id, int max) {
        super(now, rules);
        this.kind = kind;
        this.id = id;
        this.max = max;
    }

    public static AdminOperation cancel(long now, ShardRules rules, String id) {
        return new AdminOperation(now, rules, Kind.CANCEL, id, 0);
    }

    public static AdminOperation replay(long now, ShardRules rules, int max) {
        return new AdminOperation(now, rules, Kind.REPLAY, null, max);
    }

    public static AdminOperation purge(long now, ShardRules rules) {
        return new AdminOperation(now, rules, Kind.PURGE, null, 0);
    }

    @Override
    protected ShardReply apply(Shard shard) {
        ShardReply r = new ShardReply();
        r.count = switch (kind) {
            case CANCEL -> shard.cancel(id, now, rules) ? 1 : 0;
            case REPLAY -> shard.replay(max, now, rules);
            case PURGE -> shard.purge(now, rules);
        };
        return r;
    }

    @Override
    protected void writeArgs(ObjectDataOutput out) throws IOException {
        out.writeByte(kind.ordinal());
        out.writeString(id);
        out.writeInt(max);
    }

    @Override
    protected void readArgs(ObjectDataInput in) throws IOException {
        kind = Kind.values()[in.readByte()];
        id = in.readString();
        max = in.readInt();
    }
}
