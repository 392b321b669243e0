package io.orrery.queue.grid;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Changes of one shard owed to the store: each entry is the message as it is now (a bare tombstone when finished,
 * a null state when gone), plus a purge to apply first ({@code purgedThrough} ≥ 0: delete the shard's unfinished
 * rows up to that version).
 */
public final class JournalBatch {

    final List<Slot> entries = new ArrayList<>();
    long purgedThrough = -1;
    long oldestChange = Slot.NONE;

    public JournalBatch() {
    }

    /** A batch of some of another's entries (to write them apart when the whole batch fails). */
    public static JournalBatch of(List<Slot> entries, long purgedThrough, long oldestChange) {
        JournalBatch b = new JournalBatch();
        b.entries.addAll(entries);
        b.purgedThrough = purgedThrough;
        b.oldestChange = oldestChange;
        return b;
    }

    public List<Slot> entries() { return entries; }
    public long purgedThrough() { return purgedThrough; }
    /** Epoch micros of the oldest change in the shard not yet written. */
    public long oldestChange() { return oldestChange; }

    public boolean isEmpty() {
        return entries.isEmpty() && purgedThrough < 0;
    }

    void write(Wire.Out out) throws IOException {
        out.writeLong(purgedThrough);
        out.writeLong(oldestChange);
        out.writeInt(entries.size());
        for (Slot s : entries) {
            out.writeBoolean(s.state != null);
            if (s.state != null) {
                s.write(out);
            } else {
                out.writeString(s.id);
                out.writeLong(s.version);
            }
        }
    }

    void read(Wire.In in) throws IOException {
        purgedThrough = in.readLong();
        oldestChange = in.readLong();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            Slot s = new Slot();
            if (in.readBoolean()) {
                s.read(in);
            } else {
                s.id = in.readString();
                s.version = in.readLong();
            }
            entries.add(s);
        }
    }
}
