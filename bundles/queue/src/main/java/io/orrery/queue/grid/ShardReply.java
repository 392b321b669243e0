package io.orrery.queue.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The answer of every shard operation: the shard's view after it, whether it turned claimable (from nothing
 * claimable to something: consumers elsewhere should look), what the lazy reap did, and the operation's own
 * results (per-item flags, messages, a count, statistics, a journal batch) where it has them.
 */
public final class ShardReply implements DataSerializable {

    ShardView view;
    boolean becameClaimable;
    int promoted;
    int expired;
    int died;
    boolean[] flags;
    List<Slot> slots;
    int count;
    ShardStats stats;
    JournalBatch journal;

    public ShardReply() {
    }

    /** The reply for a shard that does not exist (nothing was ever enqueued to it). */
    public static ShardReply absent() {
        ShardReply r = new ShardReply();
        r.view = new ShardView();
        return r;
    }

    public ShardView view() { return view; }
    public boolean becameClaimable() { return becameClaimable; }
    public int promoted() { return promoted; }
    public int expired() { return expired; }
    public int died() { return died; }
    public boolean[] flags() { return flags; }
    public List<Slot> slots() { return slots == null ? List.of() : slots; }
    public int count() { return count; }
    public ShardStats stats() { return stats; }
    public JournalBatch journal() { return journal; }

    void add(Shard.Reaped r) {
        promoted += r.promoted;
        expired += r.expired;
        died += r.died;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        view.writeData(out);
        out.writeBoolean(becameClaimable);
        out.writeInt(promoted);
        out.writeInt(expired);
        out.writeInt(died);
        out.writeBooleanArray(flags);
        out.writeInt(slots == null ? -1 : slots.size());
        if (slots != null) {
            for (Slot s : slots) {
                out.writeBoolean(s != null);
                if (s != null) {
                    s.writeData(out);
                }
            }
        }
        out.writeInt(count);
        out.writeBoolean(stats != null);
        if (stats != null) {
            stats.writeData(out);
        }
        out.writeBoolean(journal != null);
        if (journal != null) {
            journal.writeData(out);
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        view = new ShardView();
        view.readData(in);
        becameClaimable = in.readBoolean();
        promoted = in.readInt();
        expired = in.readInt();
        died = in.readInt();
        flags = in.readBooleanArray();
        int n = in.readInt();
        if (n >= 0) {
            slots = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                if (in.readBoolean()) {
                    Slot s = new Slot();
                    s.readData(in);
                    slots.add(s);
                } else {
                    slots.add(null);
                }
            }
        }
        count = in.readInt();
        if (in.readBoolean()) {
            stats = new ShardStats();
            stats.readData(in);
        }
        if (in.readBoolean()) {
            journal = new JournalBatch();
            journal.readData(in);
        }
    }
}
