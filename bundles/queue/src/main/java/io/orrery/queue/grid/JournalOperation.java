package io.orrery.queue.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The journal writer's two steps on a shard: take the changes owed to the store, then, once they are committed,
 * mark them written (on the backups too, so a new owner after a failover does not write them again). Taking is
 * replicated as well: a new owner must know that a row may already be in the store (see {@link ShardJournal}).
 */
public final class JournalOperation extends ShardOperation {

    private boolean written;
    private int limit;
    private List<String> ids;
    private long[] versions;
    private long purgedThrough;

    public JournalOperation() {
    }

    public static JournalOperation take(long now, ShardRules rules, int limit) {
        JournalOperation op = new JournalOperation();
        op.now = now;
        op.rules = rules;
        op.limit = limit;
        op.ids = List.of();
        op.versions = new long[0];
        op.purgedThrough = -1;
        return op;
    }

    public static JournalOperation written(long now, ShardRules rules, JournalBatch batch) {
        JournalOperation op = take(now, rules, 0);
        op.written = true;
        op.ids = batch.entries().stream().map(Slot::id).toList();
        op.versions = batch.entries().stream().mapToLong(Slot::version).toArray();
        op.purgedThrough = batch.purgedThrough();
        return op;
    }

    @Override
    protected boolean alwaysTells() {
        return written; // what is still owed after a write
    }

    @Override
    protected ShardReply apply(Shard shard) {
        ShardReply r = new ShardReply();
        if (written) {
            shard.journalWritten(ids, versions, purgedThrough);
        } else {
            r.journal = shard.journalBatch(limit);
        }
        return r;
    }

    @Override
    protected void writeArgs(ObjectDataOutput out) throws IOException {
        out.writeBoolean(written);
        out.writeInt(limit);
        out.writeInt(ids.size());
        for (String id : ids) {
            out.writeString(id);
        }
        out.writeLongArray(versions);
        out.writeLong(purgedThrough);
    }

    @Override
    protected void readArgs(ObjectDataInput in) throws IOException {
        written = in.readBoolean();
        limit = in.readInt();
        int n = in.readInt();
        ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(in.readString());
        }
        versions = in.readLongArray();
        purgedThrough = in.readLong();
    }
}
