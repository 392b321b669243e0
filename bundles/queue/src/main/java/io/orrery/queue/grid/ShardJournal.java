package io.orrery.queue.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A shard's changes not yet written to the store: the ids changed since their last write, with the shard version
 * of the change, and a pending purge. It is part of the replicated shard, so a member's death loses no pending
 * write: the new owner writes it.
 *
 * <p>A mark remembers whether the writer has <em>taken</em> it: from then on a row for the message may be in the
 * store (the write is in flight, or committed and not yet marked written), so the message's end must be written
 * too, even if the message was never marked written. Taking is replicated like any change, so a new owner knows.
 */
final class ShardJournal {

    private final LinkedHashMap<String, Mark> marks = new LinkedHashMap<>();
    private long purgedThrough = -1;
    private long purgedSince;

    boolean isEmpty() {
        return marks.isEmpty() && purgedThrough < 0;
    }

    /** Records a change of {@code id} at shard version {@code v}. */
    void mark(String id, long v, long now) {
        Mark m = marks.get(id);
        if (m == null) {
            marks.put(id, new Mark(v, now));
        } else {
            m.version = v;
        }
    }

    /** Whether a row for {@code id} may be in the store because a write of it was taken (and not yet marked). */
    boolean taken(String id) {
        Mark m = marks.get(id);
        return m != null && m.taken;
    }

    /** Forgets the change of a message that ended before any write of it was taken: the store never saw it. */
    void forget(String id) {
        marks.remove(id);
    }

    /** Every held message is gone: their marks go, and unfinished rows up to {@code version} are to be deleted. */
    void purged(Iterable<String> ids, long version, long now) {
        for (String id : ids) {
            marks.remove(id);
        }
        purgedThrough = version;
        purgedSince = purgedSince == 0 ? now : purgedSince;
    }

    /** Epoch micros of the oldest change not yet written to the store, {@link Slot#NONE} when none. */
    long oldestUnwritten() {
        long oldest = purgedThrough >= 0 ? purgedSince : Slot.NONE;
        return marks.isEmpty() ? oldest : Math.min(oldest, marks.values().iterator().next().since);
    }

    /** Takes up to {@code limit} marks, oldest first; true if one was not taken before (a change to replicate). */
    boolean take(JournalBatch b, int limit, java.util.function.BiFunction<String, Long, Slot> entry) {
        boolean newlyTaken = false;
        b.purgedThrough = purgedThrough;
        b.oldestChange = oldestUnwritten();
        for (Map.Entry<String, Mark> e : marks.entrySet()) {
            if (b.entries.size() >= limit) {
                break;
            }
            newlyTaken |= !e.getValue().taken;
            e.getValue().taken = true;
            b.entries.add(entry.apply(e.getKey(), e.getValue().version));
        }
        return newlyTaken;
    }

    /** Forgets written changes, unless the message changed again since (a newer version is still owed). */
    void written(List<String> ids, long[] versions, long purgedThroughWritten) {
        for (int i = 0; i < ids.size(); i++) {
            Mark m = marks.get(ids.get(i));
            if (m != null && m.version <= versions[i]) {
                marks.remove(ids.get(i));
            }
        }
        if (purgedThroughWritten >= 0 && purgedThrough <= purgedThroughWritten) {
            purgedThrough = -1;
            purgedSince = 0;
        }
    }

    void write(ObjectDataOutput out) throws IOException {
        out.writeLong(purgedThrough);
        out.writeLong(purgedSince);
        out.writeInt(marks.size());
        for (Map.Entry<String, Mark> e : marks.entrySet()) {
            out.writeString(e.getKey());
            out.writeLong(e.getValue().version);
            out.writeLong(e.getValue().since);
            out.writeBoolean(e.getValue().taken);
        }
    }

    void read(ObjectDataInput in) throws IOException {
        purgedThrough = in.readLong();
        purgedSince = in.readLong();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            Mark m = new Mark(0, 0);
            String id = in.readString();
            m.version = in.readLong();
            m.since = in.readLong();
            m.taken = in.readBoolean();
            marks.put(id, m);
        }
    }

    private static final class Mark {
        long version;
        long since;
        boolean taken;

        Mark(long version, long since) {
            this.version = version;
            this.since = since;
        }
    }
}
