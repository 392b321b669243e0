package io.orrery.queue.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import io.orrery.api.queue.MessageState;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The bookkeeping under a {@link Shard}: the messages it holds, indexed for claiming ({@link ShardIndex}), the ids
 * of finished ones ({@link Tombstones}), the shard version every change moves on, and the changes owed to the store
 * ({@link ShardJournal}), handed to the journal writer and forgotten once written. The shard decides what becomes
 * of a message; this records that it did, answers reads, and carries it all across migrations and backups.
 *
 * <p>Not thread-safe: only the partition thread of the owning (or backup) replica touches it.
 */
final class ShardRecords {

    final ShardIndex index = new ShardIndex();
    private final Map<String, Slot> slots = new HashMap<>();
    private final Tombstones tombstones = new Tombstones();
    private final ShardJournal journal = new ShardJournal();
    private long version;
    private long seq;
    /** Counts every change, including those without a new version (tombstones forgotten, journal taken). */
    private long mutations;

    /** Whether the id is held, or remembered as finished. */
    boolean knows(String id) {
        return slots.containsKey(id) || tombstones.contains(id);
    }

    /** Holds a copy of the message, behind every message held so far, with no lease. */
    Slot admit(Slot incoming) {
        Slot s = incoming.copy();
        s.seq = ++seq;
        s.leaseToken = null;
        s.leaseExpiry = Slot.NONE;
        slots.put(s.id, s);
        return s;
    }

    Slot held(String id) {
        return slots.get(id);
    }

    /** The held message leased with this token, or null. */
    Slot leasedWith(String id, String token) {
        Slot s = slots.get(id);
        return s != null && s.state == MessageState.LEASED && token != null && token.equals(s.leaseToken) ? s : null;
    }

    /** Records a change of the message: a new shard version, and a journal entry when persisting. */
    long changed(Slot s, long now, ShardRules rules) {
        long v = ++version;
        s.version = v;
        mark(s.id, v, now, rules);
        return v;
    }

    /**
     * Ends a message: it leaves the shard, its id is remembered as a tombstone. The store learns of it if it may
     * hold the message: written once, or taken by a write that may have committed. One that finishes before any
     * write of it was taken leaves no trace there, just as its enqueue left none (short-lived messages cost the
     * store nothing).
     */
    void finish(Slot s, MessageState state, String token, long now, ShardRules rules) {
        slots.remove(s.id);
        long v = ++version;
        boolean maybeStored = s.stored || journal.taken(s.id);
        if (rules.tombstoneRetention > 0 && rules.maxTombstones > 0) {
            tombstones.remember(s.id, s.exclusiveKey, state, now, token, v, index).stored = maybeStored;
            forgetTombstones(now, rules);
        }
        if (maybeStored) {
            mark(s.id, v, now, rules);
        } else {
            journal.forget(s.id);
        }
    }

    /** The tombstone of a finished message with this id, or null. */
    Tombstones.Tombstone tombstone(String id) {
        return tombstones.get(id);
    }

    void forgetTombstones(long now, ShardRules rules) {
        mutations += tombstones.forget(now, rules, index);
    }

    /** Drops every held message (finished ids stay remembered); how many there were. */
    int purge(long now, ShardRules rules) {
        int n = slots.size();
        if (n == 0) {
            return 0;
        }
        version++;
        if (rules.journaled) {
            journal.purged(slots.keySet(), version, now);
        }
        slots.clear();
        index.clear();
        return n;
    }

    /**
     * See {@link Shard#restore}; the shard's versions continue after the rows' (the restore reads every row the
     * store keeps, so a later write of the shard is never older than a row already there).
     */
    boolean restore(Slot row, long now, ShardRules rules) {
        if (knows(row.id)) {
            return false;
        }
        version = Math.max(version, row.version);
        mutations++;
        if (row.state.isFinal()) {
            tombstones.remember(row.id, row.exclusiveKey, row.state, row.stateSince, null, row.version, index)
                    .stored = true;
            return true;
        }
        Slot s = admit(row);
        MessageState state = s.state;
        if (state == MessageState.LEASED) {
            s.availableAt = now;
            state = MessageState.PENDING;
        }
        index.enter(s, state, s.stateSince);
        if (state != row.state) {
            changed(s, now, rules);
        }
        return true;
    }

    private void mark(String id, long v, long now, ShardRules rules) {
        if (rules.journaled) {
            journal.mark(id, v, now);
        }
    }

    // ---- reading ------------------------------------------------------------------------------------------

    ShardView view() {
        return index.view(version);
    }

    ShardStats stats() {
        return index.stats();
    }

    List<Slot> browse(MessageState state, int limit) {
        Stream<Slot> found = state.isFinal() ? tombstones.inState(state) : index.inState(state);
        return found.limit(limit).map(Slot::copy).toList();
    }

    Slot find(String id) {
        Slot s = slots.get(id);
        if (s != null) {
            return s.copy();
        }
        Tombstones.Tombstone t = tombstones.get(id);
        return t == null ? null : t.asSlot(id);
    }

    int size() {
        return slots.size();
    }

    long version() {
        return version;
    }

    long mutations() {
        return mutations + version;
    }

    // ---- journal ------------------------------------------------------------------------------------------

    boolean hasJournal() {
        return !journal.isEmpty();
    }

    long oldestUnwritten() {
        return journal.oldestUnwritten();
    }

    JournalBatch journalBatch(int limit) {
        JournalBatch b = new JournalBatch();
        if (journal.take(b, limit, this::journalEntry)) {
            mutations++;
        }
        return b;
    }

    void journalWritten(List<String> ids, long[] versions, long purgedThroughWritten) {
        mutations++;
        journal.written(ids, versions, purgedThroughWritten);
        for (String id : ids) {
            Slot s = slots.get(id);
            if (s != null) {
                s.stored = true;
            } else if (tombstones.contains(id)) {
                tombstones.get(id).stored = true;
            }
        }
    }

    /** The message as it is now, a bare tombstone for a finished one, or a deletion (null state) for one gone. */
    private Slot journalEntry(String id, long markedVersion) {
        Slot s = slots.get(id);
        if (s != null) {
            return s.copy();
        }
        Tombstones.Tombstone t = tombstones.get(id);
        if (t != null) {
            return t.asSlot(id);
        }
        Slot gone = new Slot();
        gone.id = id;
        gone.version = markedVersion;
        return gone;
    }

    // ---- serialization (migration and backup replication) -------------------------------------------------

    void write(ObjectDataOutput out) throws IOException {
        out.writeLong(version);
        out.writeLong(seq);
        out.writeInt(slots.size());
        for (Slot s : slots.values()) {
            if (s.state != MessageState.DEAD) {
                s.writeData(out);
            }
        }
        for (Slot s : index.deadInOrder()) { // in the order they died, which replay follows
            s.writeData(out);
        }
        tombstones.write(out);
        journal.write(out);
    }

    void read(ObjectDataInput in) throws IOException {
        version = in.readLong();
        seq = in.readLong();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            Slot s = new Slot();
            s.readData(in);
            slots.put(s.id, s);
            index.enter(s, s.state, s.stateSince);
        }
        tombstones.read(in, index);
        journal.read(in);
    }
}
