package io.orrery.queue.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import io.orrery.api.queue.MessageState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One shard of a queue: every message of the shard, indexed for claiming, held as a single Hazelcast map value.
 * This class is the message state machine; what it records (the messages, their indexes, finished ids, versions
 * and the changes owed to the store) is kept by {@link ShardRecords}.
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
    private final ShardRecords records = new ShardRecords();
    private final ShardIndex index = records.index;
    /** Not replicated: a new owner is told at its first change. */
    private final OwnerNotice notice = new OwnerNotice();

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
        if (records.knows(incoming.id)) {
            return false;
        }
        Slot s = records.admit(incoming);
        s.stored = false;
        if (s.notBefore != Slot.NONE && s.notBefore > now) {
            s.availableAt = s.notBefore;
            s.orderStamp = s.notBefore;
            index.enter(s, MessageState.DELAYED, now);
        } else {
            index.enter(s, MessageState.PENDING, now);
        }
        records.changed(s, now, rules);
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
            records.changed(s, now, rules);
            r.promoted++;
        }
        for (Slot s = index.firstLeaseExpiredBy(now); s != null; s = index.firstLeaseExpiredBy(now)) {
            index.leave(s);
            s.endLease("lease expired");
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
            records.changed(s, now, rules);
        }
        records.forgetTombstones(now, rules);
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
            long v = records.changed(s, now, rules);
            s.leaseToken = incarnation + "." + v + suffix;
            index.enter(s, MessageState.LEASED, now);
            claimed.add(s.copy());
        }
        return claimed;
    }

    /** Completes a delivery. True also for a retry of an ack that already succeeded with the same token. */
    public boolean ack(String id, String token, long now, ShardRules rules) {
        Slot s = records.leasedWith(id, token);
        if (s == null) {
            Tombstones.Tombstone t = records.tombstone(id);
            return t != null && t.state == MessageState.COMPLETED && token != null && token.equals(t.token);
        }
        index.leave(s);
        records.finish(s, MessageState.COMPLETED, token, now, rules);
        return true;
    }

    /** Gives a delivery back: delayed, pending, or dead when its attempts are used up; its new state, or null. */
    public MessageState nack(String id, String token, long delayMicros, String reason, long now, ShardRules rules) {
        Slot s = records.leasedWith(id, token);
        if (s == null) {
            return null;
        }
        index.leave(s);
        s.endLease(reason);
        if (s.attempts >= rules.maxAttemptsOf(s)) {
            index.enter(s, MessageState.DEAD, now);
        } else {
            // A retried message queues behind what is waiting already: FIFO from when it is available again.
            s.availableAt = now + Math.max(0, delayMicros);
            s.orderStamp = s.availableAt;
            index.enter(s, delayMicros > 0 ? MessageState.DELAYED : MessageState.PENDING, now);
        }
        records.changed(s, now, rules);
        return s.state;
    }

    /** Moves a delivery straight to the dead letters. */
    public boolean reject(String id, String token, String reason, long now, ShardRules rules) {
        Slot s = records.leasedWith(id, token);
        if (s == null) {
            return false;
        }
        index.leave(s);
        s.endLease(reason);
        index.enter(s, MessageState.DEAD, now);
        records.changed(s, now, rules);
        return true;
    }

    /** Extends a lease to {@code leaseMicros} from now; the copy of the message, or null if the token is void. */
    public Slot extend(String id, String token, long leaseMicros, long now, ShardRules rules) {
        Slot s = records.leasedWith(id, token);
        if (s == null) {
            return null;
        }
        index.releaseUntil(s, now + leaseMicros);
        records.changed(s, now, rules);
        return s.copy();
    }

    /** Cancels a message that is not finished (pending, delayed, leased or dead). */
    public boolean cancel(String id, long now, ShardRules rules) {
        Slot s = records.held(id);
        if (s == null) {
            return false;
        }
        index.leave(s);
        records.finish(s, MessageState.CANCELLED, null, now, rules);
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
            records.changed(s, now, rules);
            n++;
        }
        return n;
    }

    /** Drops every unfinished and dead message; finished ids stay remembered. */
    public int purge(long now, ShardRules rules) {
        return records.purge(now, rules);
    }

    /**
     * Takes in a message read back from the store after a full restart. A lease did not survive the restart, so a
     * leased message is pending again (the attempt it used still counts). Finished ones become tombstones. Rows
     * must come in the order they entered their state (the store's restore query sorts them so), which is the
     * order of the dead letters and of the tombstones.
     */
    public boolean restore(Slot row, long now, ShardRules rules) {
        return records.restore(row, now, rules);
    }

    // ---- reading ------------------------------------------------------------------------------------------

    public ShardView view() {
        return records.view();
    }

    public ShardStats stats() {
        return records.stats();
    }

    /** Up to {@code limit} copies of messages in a state, in claim order (pending) or their own order. */
    public List<Slot> browse(MessageState state, int limit) {
        return records.browse(state, limit);
    }

    /** A copy of the message with this id (a finished one as a bare tombstone), or null. */
    public Slot find(String id) {
        return records.find(id);
    }

    public int size() {
        return records.size();
    }

    public long version() {
        return records.version();
    }

    /** Changes so far, of any kind: equal before and after an operation means the operation changed nothing. */
    public long mutations() {
        return records.mutations();
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
        return notice.worthTelling(force, index.nextDue(), hasJournal());
    }

    // ---- journal ------------------------------------------------------------------------------------------

    public boolean hasJournal() {
        return records.hasJournal();
    }

    /** Epoch micros of the oldest change not yet written to the store, {@link Slot#NONE} when none. */
    public long oldestUnwritten() {
        return records.oldestUnwritten();
    }

    /**
     * Takes the next changes to write, oldest first: the message as it is now, a bare tombstone for a finished
     * one, or a deletion (a {@link Slot} with a null state) for one that is gone.
     */
    public JournalBatch journalBatch(int limit) {
        return records.journalBatch(limit);
    }

    /** Forgets written changes, unless the message changed again since (a newer version is still owed). */
    public void journalWritten(List<String> ids, long[] versions, long purgedThroughWritten) {
        records.journalWritten(ids, versions, purgedThroughWritten);
    }

    // ---- serialization (migration and backup replication) -------------------------------------------------

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(incarnation);
        records.write(out);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        incarnation = in.readString();
        records.read(in);
    }
}
