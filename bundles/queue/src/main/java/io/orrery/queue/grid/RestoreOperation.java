package io.orrery.queue.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import java.io.IOException;
import java.util.List;

/** Puts messages read back from the store into their shard after a full-cluster restart; counts those taken. */
public final class RestoreOperation extends ShardOperation {

    private List<Slot> rows;

    public RestoreOperation() {
    }

    public RestoreOperation(long now, ShardRules rules, List<Slot> rows) {
        super(now, rules);
        this.rows = rows;
    }

    @Override
    protected boolean createsShard() {
        return true;
    }

    @Override
    protected ShardReply apply(Shard shard) {
        ShardReply r = new ShardReply();
        for (Slot row : rows) {
            r.count += shard.restore(row, now, rules) ? 1 : 0;
        }
        return r;
    }

    @Override
    protected void writeArgs(ObjectDataOutput out) throws IOException {
        Slot.writeList(out, rows);
    }

    @Override
    protected void readArgs(ObjectDataInput in) throws IOException {
        rows = Slot.readList(in);
    }
}
