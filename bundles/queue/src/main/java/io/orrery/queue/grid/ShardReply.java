package io.orrery.queue.grid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The answer of every shard operation: the shard's view after it, whether its head improved (it turned claimable,
 * or its most urgent claimable message is more urgent than before: consumers elsewhere, who chose among shards by
 * the old head, should look again), what the lazy reap did, and the operation's own results (per-item flags,
 * messages, a count, statistics, a journal batch) where it has them. It travels as the bytes of
 * {@link #toBytes()} (see {@link Wire}).
 */
public final class ShardReply implements Wire.Writable {

    ShardView view;
    boolean headImproved;
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
    public boolean headImproved() { return headImproved; }
    public int promoted() { return promoted; }
    public int expired() { return expired; }
    public int died() { return died; }
    public boolean[] flags() { return flags; }
    public List<Slot> slots() { return slots == null ? List.of() : slots; }
    public int count() { return count; }
    public ShardStats stats() { return stats; }
    public JournalBatch journal() { return journal; }

    void add(Reaped r) {
        promoted += r.promoted;
        expired += r.expired;
        died += r.died;
    }

    public byte[] toBytes() {
        return Wire.toBytes(this);
    }

    public static ShardReply fromBytes(byte[] bytes) {
        ShardReply r = new ShardReply();
        try {
            r.read(Wire.reader(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return r;
    }

    @Override
    public void write(Wire.Out out) throws IOException {
        view.write(out);
        out.writeBoolean(headImproved);
        out.writeInt(promoted);
        out.writeInt(expired);
        out.writeInt(died);
        out.writeInt(flags == null ? -1 : flags.length);
        if (flags != null) {
            for (boolean f : flags) {
                out.writeBoolean(f);
            }
        }
        out.writeInt(slots == null ? -1 : slots.size());
        if (slots != null) {
            for (Slot s : slots) {
                out.writeBoolean(s != null);
                if (s != null) {
                    s.write(out);
                }
            }
        }
        out.writeInt(count);
        out.writeBoolean(stats != null);
        if (stats != null) {
            stats.write(out);
        }
        out.writeBoolean(journal != null);
        if (journal != null) {
            journal.write(out);
        }
    }

    private void read(Wire.In in) throws IOException {
        view = new ShardView();
        view.read(in);
        headImproved = in.readBoolean();
        promoted = in.readInt();
        expired = in.readInt();
        died = in.readInt();
        int f = in.readInt();
        if (f >= 0) {
            flags = new boolean[f];
            for (int i = 0; i < f; i++) {
                flags[i] = in.readBoolean();
            }
        }
        int n = in.readInt();
        if (n >= 0) {
            slots = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                if (in.readBoolean()) {
                    Slot s = new Slot();
                    s.read(in);
                    slots.add(s);
                } else {
                    slots.add(null);
                }
            }
        }
        count = in.readInt();
        if (in.readBoolean()) {
            stats = new ShardStats();
            stats.read(in);
        }
        if (in.readBoolean()) {
            journal = new JournalBatch();
            journal.read(in);
        }
    }
}
