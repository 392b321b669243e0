package io.orrery.queue.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import io.orrery.api.queue.MessageState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One shard of a queue: every message of the shard, indexed for claiming, held as a single Hazelcast map value.
 * This class is the message state machine; the indexes are {@link ShardIndex}, finished ids {@link Tombstones},
 * changes owed to the store {@link ShardJournal}.
 *
 * <p>Why one map value per shard: every operation is one entry processor on one key, so it runs on the partition
 * thread that owns the shard, touches only memory (the map stores this object as is, in-memory format OBJECT, and
 * entry processors mutate it in place), claims a whole batch in one call, and is replicated to backups by
 * re-running the same deterministic operation (same inputs, same caller-given time) on the backup's copy. The cost:
 * a shard migrates as one value, so a queue is split into several shards (see the registry's shard count).
 *
 * <p>Not thread-safe: only the partition thread of the owning (or backup) replica touches it.
 */
public final class Shard implements DataSerializable {

    private String incarnation;
    private long version;
    private long seq;
    private final Map<String, Slot> slots = new HashMap<>();
    private final ShardIndex index = new ShardIndex();
    private final Tombstones tombstones = new Tombstones();
    private final ShardJournal journal = new ShardJournal();
    /** What the owning member was last told (not replicated: a new owner is told at its first change). */
    private long toldDue = Slot.NONE;
    private boolean toldOwing;
    /** Counts every change, including those without a new version (tombstones forgotten, journal taken). */
    private long mutations;

    public Shard() {
    }

    /** A new, empty shard; the incarnation makes lease tokens of different lives of a shard differ. */
    public static Shard create(long now) {
        Shard s = new Shard();
        s.incarnation = Long.toString(now, 36);
        return s;
    }

    // ---- operations ---------------------------------------------------------------------------------------

    /** Adds a message unless its id is held or remembered; false for a duplicate. */
    public boolean enqueue(Slot incoming, long now, ShardRules rules) {
        if (slots.containsKey(incoming.id) || tombstones.contains(incoming.id)) {
            return false;
        }
        Slot s = incoming.copy();
        s.seq = ++seq;
        s.stored = false;
        s.leaseToken = null;
        s.leaseExpiry = Slot.NONE;
        slots.put(s.id, s);
        if (s.notBefore != Slot.NONE && s.notBefore > now) {
            s.availableAt = s.notBefore;
            s.orderStamp = s.notBefore;
            index.enter(s, MessageState.DELAYED, now);
        } else {
            index.enter(s, MessageState.PENDING, now);
        }
        changed(s, now, rules);
        return true;
    }

    /**
     * Moves due delayed messages to pending and handles expired leases: the message is claimable again (after the
     * retry delay) or, when its attempts are used up, dead. Forgets tombstones past retention.
     */
    public Reaped reap(long now, ShardRules rules) {
        Reaped r = new Reaped();
        for (Slot s = index.firstDelayedDueBy(now); s != null; s = index.firstDelayedDueBy(now)) {
            index.leave(s);
            index.enter(s, MessageState.PENDING, now);
            changed(s, now, rules);
            r.promoted++;
        }
        for (Slot s = index.firstLeaseExpiredBy(now); s != null; s = index.firstLeaseExpiredBy(now)) {
            index.leave(s);
            endLease(s, "lease expired");
            r.expired++;
            if (s.attempts >= rules.maxAttemptsOf(s)) {
                index.enter(s, MessageState.DEAD, now);
                r.died++;
            } else if (rules.retryDelay > 0) {
                s.availableAt = now + rules.retryDelay;
                index.enter(s, MessageState.DELAYED, now);
            } else {
                s.availableAt = now;
                index.enter(s, MessageState.PENDING, now);
            }
            changed(s, now, rules);
        }
        mutations += tombstones.forget(now, rules, index);
        return r;
    }

    /** {@link #claim(int, long, long, int, ShardRules)} with no nonce (tests of the shard alone). */
    public List<Slot> claim(int max, long leaseMicros, long now, ShardRules rules) {
        return claim(max, leaseMicros, now, 0, rules);
    }

    /**
     * Leases up to {@code max} claimable messages in claim order; returns copies carrying their lease tokens.
     *
     * <p>A token is the shard's incarnation, the version of the claim and the caller's nonce. The nonce is why a
     * token is never issued twice: a primary that answered a claim and died before its backup applied it leaves a
     * backup one version behind, which issues the same version again, but for another claim call.
     */
    public List<Slot> claim(int max, long leaseMicros, long now, int nonce, ShardRules rules) {
        List<Slot> claimed = new ArrayList<>(Math.min(max, index.readyCount()));
        String suffix = nonce == 0 ? "" : "." + Integer.toUnsignedString(nonce, 36);
        for (Slot s = index.firstReady(); s != null && claimed.size() < max; s = index.firstReady()) {
            index.leave(s);
            s.attempts++;
            s.leaseExpiry = now + leaseMicros;
            long v = changed(s, now, rules);
            s.leaseToken = incarnation + "." + v + suffix;
            index.enter(s, MessageState.LEASED, now);
            claimed.add(s.copy());
        }
        return claimed;
    }

    /** Completes a delivery. True also for a retry of an ack that already succeeded with the same token. */
    public boolean ack(String id, String token, long now, ShardRules rules) {
        Slot s = leasedWith(id, token);
        if (s == null) {
            Tombstones.Tombstone t = tombstones.get(id);
            return t != null && t.state == MessageState.COMPLETED && token != null && token.equals(t.token);
        }
        index.leave(s);
        finish(s, MessageState.COMPLETED, token, now, rules);
        return true;
    }

    /** Gives a delivery back: delayed, pending, or dead when its attempts are used up; its new state, or null. */
    public MessageState nack(String id, String token, long delayMicros, String reason, long now, ShardRules rules) {
        Slot s = leasedWith(id, token);
        if (s == null) {
            return null;
        }
        index.leave(s);
        endLease(s, reason);
        if (s.attempts >= rules.maxAttemptsOf(s)) {
            index.enter(s, MessageState.DEAD, now);
        } else {
            // A retried message queues behind what is waiting already: FIFO from when it is available again.
            s.availableAt = now + Math.max(0, delayMicros);
            s.orderStamp = s.availableAt;
            index.enter(s, delayMicros > 0 ? MessageState.DELAYED : MessageState.PENDING, now);
        }
        changed(s, now, rules);
        return s.state;
    }

    /** Moves a delivery straight to the dead letters. */
    public boolean reject(String id, String token, String reason, long now, ShardRules rules) {
        Slot s = leasedWith(id, token);
        if (s == null) {
            return false;
        }
        index.leave(s);
        endLease(s, reason);
        index.enter(s, MessageState.DEAD, now);
        changed(s, now, rules);
        return true;
    }

    /** Extends a lease to {@code leaseMicros} from now; the copy of the message, or null if the token is void. */
    public Slot extend(String id, String token, long leaseMicros, long now, ShardRules rules) {
        Slot s = leasedWith(id, token);
        if (s == null) {
            return null;
        }
        index.releaseUntil(s, now + leaseMicros);
        changed(s, now, rules);
        return s.copy();
    }

    /** Cancels a message that is not finished (pending, delayed, leased or dead). */
    public boolean cancel(String id, long now, ShardRules rules) {
        Slot s = slots.get(id);
        if (s == null) {
            return false;
        }
        index.leave(s);
        finish(s, MessageState.CANCELLED, null, now, rules);
        return true;
    }

    /** Moves up to {@code max} dead letters, oldest first, back to pending with their attempts reset. */
    public int replay(int max, long now, ShardRules rules) {
        int n = 0;
        for (Slot s = index.oldestDead(); s != null && n < max; s = index.oldestDead()) {
            index.leave(s);
            s.attempts = 0;
            s.availableAt = now;
            s.orderStamp = now;
            index.enter(s, MessageState.PENDING, now);
            changed(s, now, rules);
            n++;
        }
        return n;
    }

    /** Drops every unfinished and dead message; finished ids stay remembered. */
    public int purge(long now, ShardRules rules) {
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
     * Takes in a message read back from the store after a full restart. A lease did not survive the restart, so a
     * leased message is pending again (the attempt it used still counts). Finished ones become tombstones. Rows
     * must come in the order they entered their state (the store's restore query sorts them so), which is the
     * order of the dead letters and of the tombstones.
     */
    public boolean restore(Slot row, long now, ShardRules rules) {
        if (slots.containsKey(row.id) || tombstones.contains(row.id)) {
            return false;
        }
        version = Math.max(version, row.version);
        mutations++;
        if (row.state.isFinal()) {
            tombstones.remember(row.id, row.state, row.stateSince, null, row.version, index).stored = true;
            return true;
        }
        Slot s = row.copy();
        s.seq = ++seq;
        s.leaseToken = null;
        s.leaseExpiry = Slot.NONE;
        slots.put(s.id, s);
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

    // ---- reading ------------------------------------------------------------------------------------------

    public ShardView view() {
        return index.view(version);
    }

    public ShardStats stats() {
        return index.stats();
    }

    /** Up to {@code limit} copies of messages in a state, in claim order (pending) or their own order. */
    public List<Slot> browse(MessageState state, int limit) {
        Stream<Slot> found = state.isFinal() ? tombstones.inState(state) : index.inState(state);
        return found.limit(limit).map(Slot::copy).toList();
    }

    /** A copy of the message with this id (a finished one as a bare tombstone), or null. */
    public Slot find(String id) {
        Slot s = slots.get(id);
        if (s != null) {
            return s.copy();
        }
        Tombstones.Tombstone t = tombstones.get(id);
        return t == null ? null : t.asSlot(id);
    }

    public int size() {
        return slots.size();
    }

    public long version() {
        return version;
    }

    /** Changes so far, of any kind: equal before and after an operation means the operation changed nothing. */
    public long mutations() {
        return mutations + version;
    }

    public int readyCount() {
        return index.readyCount();
    }

    /**
     * Whether the owning member must hear of this shard after a change: when its next due time moved earlier than
     * what the member was told (a later one only makes the reaper look once too early, and its visit tells the
     * truth), or when it newly owes the store something. Keeps the member's bookkeeping off the common path.
     */
    public boolean worthTelling(boolean force) {
        long due = index.nextDue();
        boolean owing = hasJournal();
        boolean tell = force || due < toldDue || (owing && !toldOwing);
        if (tell || due == Slot.NONE) {
            toldDue = due;
        }
        toldOwing = owing;
        return tell;
    }

    // ---- journal ------------------------------------------------------------------------------------------

    public boolean hasJournal() {
        return !journal.isEmpty();
    }

    /** Epoch micros of the oldest change not yet written to the store, {@link Slot#NONE} when none. */
    public long oldestUnwritten() {
        return journal.oldestUnwritten();
    }

    /**
     * Takes the next changes to write, oldest first: the message as it is now, a bare tombstone for a finished
     * one, or a deletion (a {@link Slot} with a null state) for one that is gone.
     */
    public JournalBatch journalBatch(int limit) {
        JournalBatch b = new JournalBatch();
        if (journal.take(b, limit, this::journalEntry)) {
            mutations++;
        }
        return b;
    }

    /** Forgets written changes, unless the message changed again since (a newer version is still owed). */
    public void journalWritten(List<String> ids, long[] versions, long purgedThroughWritten) {
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

    // ---- state machine ------------------------------------------------------------------------------------

    private Slot leasedWith(String id, String token) {
        Slot s = slots.get(id);
        return s != null && s.state == MessageState.LEASED && token != null && token.equals(s.leaseToken) ? s : null;
    }

    private static void endLease(Slot s, String reason) {
        s.leaseToken = null;
        s.leaseExpiry = Slot.NONE;
        s.lastError = reason;
    }

    /**
     * Ends a message: it leaves the shard, its id is remembered as a tombstone. The store learns of it if it may
     * hold the message: written once, or taken by a write that may have committed. One that finishes before any
     * write of it was taken leaves no trace there, just as its enqueue left none (short-lived messages cost the
     * store nothing).
     */
    private void finish(Slot s, MessageState state, String token, long now, ShardRules rules) {
        slots.remove(s.id);
        long v = ++version;
        boolean maybeStored = s.stored || journal.taken(s.id);
        if (rules.tombstoneRetention > 0 && rules.maxTombstones > 0) {
            tombstones.remember(s.id, state, now, token, v, index).stored = maybeStored;
            mutations += tombstones.forget(now, rules, index);
        }
        if (maybeStored) {
            mark(s.id, v, now, rules);
        } else {
            journal.forget(s.id);
        }
    }

    /** Records a change of the message: a new shard version, and a journal entry when persisting. */
    private long changed(Slot s, long now, ShardRules rules) {
        long v = ++version;
        s.version = v;
        mark(s.id, v, now, rules);
        return v;
    }

    private void mark(String id, long v, long now, ShardRules rules) {
        if (rules.journaled) {
            journal.mark(id, v, now);
        }
    }

    // ---- serialization (migration and backup replication) -------------------------------------------------

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(incarnation);
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

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        incarnation = in.readString();
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
