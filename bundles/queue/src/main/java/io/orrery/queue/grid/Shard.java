package io.orrery.queue.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import io.orrery.api.queue.MessageState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * One shard of a queue: every message of the shard, indexed for claiming, held as a single Hazelcast map value.
 *
 * <p>Why one map value per shard: every operation is one entry processor on one key, so it runs on the partition
 * thread that owns the shard, touches only memory (the map stores this object as is, in-memory format OBJECT, and
 * entry processors mutate it in place), claims a whole batch in one call, and is replicated to backups by
 * re-running the same deterministic operation (same inputs, same caller-given time) on the backup's copy. The cost:
 * a shard migrates as one value, so a queue is split into several shards (see the registry's shard count).
 *
 * <p>Indexes, rebuilt after deserialization:
 * <ul>
 *   <li>{@code ready}: claimable messages in claim order: priority (9 first), earliest deadline (none last), then
 *       FIFO by order stamp (enqueue time, or the end of a delay), then arrival.</li>
 *   <li>Exclusivity: all pending messages of one exclusive key wait in a {@link KeyLane}; only the lane's best one
 *       is in {@code ready}, and none while one message of the key is leased. Claiming therefore never scans past
 *       blocked messages.</li>
 *   <li>{@code delayed} by due time, {@code leased} by lease expiry: the reaper pops expired heads.</li>
 *   <li>Dead letters in the order they died; finished ids as tombstones (idempotent enqueue and ack retries) for
 *       a retention time, at most a bounded number.</li>
 *   <li>The journal: ids changed since the last write to the store, with the shard version of the change. It is
 *       part of the replicated state, so a member's death loses no pending write: the new owner writes it.</li>
 * </ul>
 * Not thread-safe: only the partition thread of the owning (or backup) replica touches it.
 */
public final class Shard implements DataSerializable {

    static final Comparator<Slot> CLAIM_ORDER = Comparator.comparingInt((Slot s) -> -s.priority)
            .thenComparingLong(s -> s.deadline)
            .thenComparingLong(s -> s.orderStamp)
            .thenComparingLong(s -> s.seq);
    static final Comparator<Slot> DUE_ORDER = Comparator.comparingLong((Slot s) -> s.availableAt)
            .thenComparingLong(s -> s.seq);
    static final Comparator<Slot> LEASE_ORDER = Comparator.comparingLong((Slot s) -> s.leaseExpiry)
            .thenComparingLong(s -> s.seq);

    private String incarnation;
    private long version;
    private long seq;
    private final Map<String, Slot> slots = new HashMap<>();
    private final LinkedHashMap<String, Tombstone> tombstones = new LinkedHashMap<>();
    private final LinkedHashMap<String, DirtyMark> journal = new LinkedHashMap<>();
    private long purgedThrough = -1;
    private long purgedSince;

    private final TreeSet<Slot> ready = new TreeSet<>(CLAIM_ORDER);
    private final TreeSet<Slot> delayed = new TreeSet<>(DUE_ORDER);
    private final TreeSet<Slot> leased = new TreeSet<>(LEASE_ORDER);
    private final Map<String, KeyLane> lanes = new HashMap<>();
    private final LinkedHashSet<Slot> dead = new LinkedHashSet<>();
    private final long[] counts = new long[MessageState.values().length];
    private final long[] pendingByPriority = new long[10];
    /** What the owning member was last told (not replicated: a new owner is told at its first change). */
    private long toldDue = Slot.NONE;
    private boolean toldOwing;
    /** Counts every change, including those without a new version (tombstones forgotten, journal written). */
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
        if (slots.containsKey(incoming.id) || tombstones.containsKey(incoming.id)) {
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
            enter(s, MessageState.DELAYED, now);
        } else {
            enter(s, MessageState.PENDING, now);
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
        while (!delayed.isEmpty() && delayed.first().availableAt <= now) {
            Slot s = delayed.first();
            leave(s);
            enter(s, MessageState.PENDING, now);
            changed(s, now, rules);
            r.promoted++;
        }
        while (!leased.isEmpty() && leased.first().leaseExpiry <= now) {
            Slot s = leased.first();
            leave(s);
            endLease(s, "lease expired");
            r.expired++;
            if (s.attempts >= rules.maxAttemptsOf(s)) {
                enter(s, MessageState.DEAD, now);
                r.died++;
            } else if (rules.retryDelay > 0) {
                s.availableAt = now + rules.retryDelay;
                enter(s, MessageState.DELAYED, now);
            } else {
                s.availableAt = now;
                enter(s, MessageState.PENDING, now);
            }
            changed(s, now, rules);
        }
        forgetTombstones(now, rules);
        return r;
    }

    /** Leases up to {@code max} claimable messages in claim order; returns copies carrying their lease tokens. */
    public List<Slot> claim(int max, long leaseMicros, long now, ShardRules rules) {
        List<Slot> claimed = new ArrayList<>(Math.min(max, ready.size()));
        while (claimed.size() < max && !ready.isEmpty()) {
            Slot s = ready.first();
            leave(s);
            s.attempts++;
            s.leaseExpiry = now + leaseMicros;
            long v = changed(s, now, rules);
            s.leaseToken = incarnation + "." + v;
            enter(s, MessageState.LEASED, now);
            claimed.add(s.copy());
        }
        return claimed;
    }

    /** Completes a delivery. True also for a retry of an ack that already succeeded with the same token. */
    public boolean ack(String id, String token, long now, ShardRules rules) {
        Slot s = leasedWith(id, token);
        if (s == null) {
            Tombstone t = tombstones.get(id);
            return t != null && t.state == MessageState.COMPLETED && token != null && token.equals(t.token);
        }
        leave(s);
        finish(s, MessageState.COMPLETED, token, now, rules);
        return true;
    }

    /** Gives a delivery back: delayed, pending, or dead when its attempts are used up; its new state, or null. */
    public MessageState nack(String id, String token, long delayMicros, String reason, long now, ShardRules rules) {
        Slot s = leasedWith(id, token);
        if (s == null) {
            return null;
        }
        leave(s);
        endLease(s, reason);
        if (s.attempts >= rules.maxAttemptsOf(s)) {
            enter(s, MessageState.DEAD, now);
        } else {
            // A retried message queues behind what is waiting already: FIFO from when it is available again.
            s.availableAt = now + Math.max(0, delayMicros);
            s.orderStamp = s.availableAt;
            enter(s, delayMicros > 0 ? MessageState.DELAYED : MessageState.PENDING, now);
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
        leave(s);
        endLease(s, reason);
        enter(s, MessageState.DEAD, now);
        changed(s, now, rules);
        return true;
    }

    /** Extends a lease to {@code leaseMicros} from now; the copy of the message, or null if the token is void. */
    public Slot extend(String id, String token, long leaseMicros, long now, ShardRules rules) {
        Slot s = leasedWith(id, token);
        if (s == null) {
            return null;
        }
        leased.remove(s);
        s.leaseExpiry = now + leaseMicros;
        leased.add(s);
        changed(s, now, rules);
        return s.copy();
    }

    /** Cancels a message that is not finished (pending, delayed, leased or dead). */
    public boolean cancel(String id, long now, ShardRules rules) {
        Slot s = slots.get(id);
        if (s == null) {
            return false;
        }
        leave(s);
        finish(s, MessageState.CANCELLED, null, now, rules);
        return true;
    }

    /** Moves up to {@code max} dead letters, oldest first, back to pending with their attempts reset. */
    public int replay(int max, long now, ShardRules rules) {
        int n = 0;
        while (n < max && !dead.isEmpty()) {
            Slot s = dead.iterator().next();
            leave(s);
            s.attempts = 0;
            s.availableAt = now;
            s.orderStamp = now;
            enter(s, MessageState.PENDING, now);
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
        for (String id : slots.keySet()) {
            journal.remove(id);
        }
        slots.clear();
        ready.clear();
        delayed.clear();
        leased.clear();
        lanes.clear();
        dead.clear();
        for (MessageState st : MessageState.values()) {
            if (!st.isFinal()) {
                counts[st.ordinal()] = 0;
            }
        }
        java.util.Arrays.fill(pendingByPriority, 0);
        version++;
        if (rules.journaled) {
            purgedThrough = version;
            purgedSince = purgedSince == 0 ? now : purgedSince;
        }
        return n;
    }

    /**
     * Takes in a message read back from the store after a full restart. A lease did not survive the restart, so a
     * leased message is pending again (the attempt it used still counts). Finished ones become tombstones.
     */
    public boolean restore(Slot row, long now, ShardRules rules) {
        if (slots.containsKey(row.id) || tombstones.containsKey(row.id)) {
            return false;
        }
        version = Math.max(version, row.version);
        mutations++;
        if (row.state.isFinal()) {
            remember(row.id, row.state, row.stateSince, null, row.version).stored = true;
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
        enter(s, state, s.stateSince);
        if (state != row.state) {
            changed(s, now, rules);
        }
        return true;
    }

    // ---- reading ------------------------------------------------------------------------------------------

    public ShardView view() {
        ShardView v = new ShardView();
        v.version = version;
        v.ready = ready.size();
        if (!ready.isEmpty()) {
            Slot head = ready.first();
            v.headPriority = head.priority;
            v.headDeadline = head.deadline;
            v.headStamp = head.orderStamp;
        }
        long due = delayed.isEmpty() ? Slot.NONE : delayed.first().availableAt;
        v.nextDue = leased.isEmpty() ? due : Math.min(due, leased.first().leaseExpiry);
        return v;
    }

    public ShardStats stats() {
        ShardStats st = new ShardStats();
        System.arraycopy(counts, 0, st.byState, 0, counts.length);
        System.arraycopy(pendingByPriority, 0, st.pendingByPriority, 0, pendingByPriority.length);
        st.oldestPendingSince = pending().mapToLong(s -> s.availableAt).min().orElse(Slot.NONE);
        return st;
    }

    /** Up to {@code limit} copies of messages in a state, in claim order (pending) or their own order. */
    public List<Slot> browse(MessageState state, int limit) {
        Stream<Slot> found = switch (state) {
            case PENDING -> pending().sorted(CLAIM_ORDER);
            case DELAYED -> delayed.stream();
            case LEASED -> leased.stream();
            case DEAD -> dead.stream();
            case COMPLETED, CANCELLED -> tombstones.entrySet().stream()
                    .filter(e -> e.getValue().state == state)
                    .map(e -> e.getValue().asSlot(e.getKey()));
        };
        return found.limit(limit).map(Slot::copy).toList();
    }

    /** A copy of the message with this id (a finished one as a bare tombstone), or null. */
    public Slot find(String id) {
        Slot s = slots.get(id);
        if (s != null) {
            return s.copy();
        }
        Tombstone t = tombstones.get(id);
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
        return ready.size();
    }

    /**
     * Whether the owning member must hear of this shard after a change: when its next due time moved earlier than
     * what the member was told (a later one only makes the reaper look once too early, and its visit tells the
     * truth), or when it newly owes the store something. Keeps the member's bookkeeping off the common path.
     */
    public boolean worthTelling(boolean force) {
        long due = view().nextDue;
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
        return !journal.isEmpty() || purgedThrough >= 0;
    }

    /** Epoch micros of the oldest change not yet written to the store, {@link Slot#NONE} when none. */
    public long oldestUnwritten() {
        long oldest = purgedThrough >= 0 ? purgedSince : Slot.NONE;
        return journal.isEmpty() ? oldest : Math.min(oldest, journal.values().iterator().next().since);
    }

    /**
     * The next changes to write, oldest first: the message as it is now, a bare tombstone for a finished one, or
     * a deletion (a {@link Slot} with a null state) for one that is gone.
     */
    public JournalBatch journalBatch(int limit) {
        JournalBatch b = new JournalBatch();
        b.purgedThrough = purgedThrough;
        b.oldestChange = oldestUnwritten();
        for (Map.Entry<String, DirtyMark> e : journal.entrySet()) {
            if (b.entries.size() >= limit) {
                break;
            }
            b.entries.add(journalEntry(e.getKey(), e.getValue().version));
        }
        return b;
    }

    /** Forgets written changes, unless the message changed again since (a newer version is still owed). */
    public void journalWritten(List<String> ids, long[] versions, long purgedThroughWritten) {
        mutations++;
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            DirtyMark m = journal.get(id);
            if (m != null && m.version <= versions[i]) {
                journal.remove(id);
            }
            Slot s = slots.get(id);
            if (s != null) {
                s.stored = true;
            } else if (tombstones.containsKey(id)) {
                tombstones.get(id).stored = true;
            }
        }
        if (purgedThroughWritten >= 0 && purgedThrough <= purgedThroughWritten) {
            purgedThrough = -1;
            purgedSince = 0;
        }
    }

    private Slot journalEntry(String id, long markedVersion) {
        Slot s = slots.get(id);
        if (s != null) {
            return s.copy();
        }
        Tombstone t = tombstones.get(id);
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
     * Ends a message: it leaves the shard, its id is remembered as a tombstone. The store learns of it only if it
     * holds the message: one that finishes before its first write leaves no trace there, just as its enqueue left
     * none (the store is the durable view, and short-lived messages cost it nothing).
     */
    private void finish(Slot s, MessageState state, String token, long now, ShardRules rules) {
        slots.remove(s.id);
        long v = ++version;
        if (rules.tombstoneRetention > 0 && rules.maxTombstones > 0) {
            remember(s.id, state, now, token, v).stored = s.stored;
            forgetTombstones(now, rules);
        }
        if (s.stored) {
            mark(s.id, v, now, rules);
        } else {
            journal.remove(s.id);
        }
    }

    private Tombstone remember(String id, MessageState state, long at, String token, long v) {
        Tombstone t = new Tombstone();
        t.state = state;
        t.at = at;
        t.token = token;
        t.version = v;
        tombstones.put(id, t);
        counts[state.ordinal()]++;
        return t;
    }

    private void forgetTombstones(long now, ShardRules rules) {
        Iterator<Tombstone> it = tombstones.values().iterator();
        while (it.hasNext()) {
            Tombstone t = it.next();
            if (tombstones.size() <= rules.maxTombstones && t.at > now - rules.tombstoneRetention) {
                break;
            }
            counts[t.state.ordinal()]--;
            it.remove();
            mutations++;
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
        if (!rules.journaled) {
            return;
        }
        DirtyMark m = journal.get(id);
        if (m == null) {
            journal.put(id, new DirtyMark(v, now));
        } else {
            m.version = v;
        }
    }

    /** Puts a slot that is in no index into the index of its new state. */
    private void enter(Slot s, MessageState state, long now) {
        s.state = state;
        s.stateSince = now;
        counts[state.ordinal()]++;
        switch (state) {
            case PENDING -> {
                pendingByPriority[s.priority]++;
                if (s.exclusiveKey == null) {
                    ready.add(s);
                } else {
                    KeyLane lane = lanes.computeIfAbsent(s.exclusiveKey, k -> new KeyLane());
                    lane.pending.add(s);
                    refresh(s.exclusiveKey, lane);
                }
            }
            case DELAYED -> delayed.add(s);
            case LEASED -> {
                leased.add(s);
                if (s.exclusiveKey != null) {
                    KeyLane lane = lanes.computeIfAbsent(s.exclusiveKey, k -> new KeyLane());
                    lane.leased = s;
                    refresh(s.exclusiveKey, lane);
                }
            }
            case DEAD -> dead.add(s);
            default -> throw new IllegalStateException("a held message cannot be " + state);
        }
    }

    /** Takes a slot out of the index of its current state (before its order fields change). */
    private void leave(Slot s) {
        counts[s.state.ordinal()]--;
        switch (s.state) {
            case PENDING -> {
                pendingByPriority[s.priority]--;
                if (s.exclusiveKey == null) {
                    ready.remove(s);
                } else {
                    KeyLane lane = lanes.get(s.exclusiveKey);
                    lane.pending.remove(s);
                    refresh(s.exclusiveKey, lane);
                }
            }
            case DELAYED -> delayed.remove(s);
            case LEASED -> {
                leased.remove(s);
                if (s.exclusiveKey != null) {
                    KeyLane lane = lanes.get(s.exclusiveKey);
                    if (lane.leased == s) {
                        lane.leased = null;
                    }
                    refresh(s.exclusiveKey, lane);
                }
            }
            case DEAD -> dead.remove(s);
            default -> throw new IllegalStateException("a held message cannot be " + s.state);
        }
    }

    /** Keeps exactly the lane's best pending message in {@code ready}, and none while the key is leased. */
    private void refresh(String key, KeyLane lane) {
        Slot want = lane.leased == null && !lane.pending.isEmpty() ? lane.pending.first() : null;
        if (want != lane.inReady) {
            if (lane.inReady != null) {
                ready.remove(lane.inReady);
            }
            if (want != null) {
                ready.add(want);
            }
            lane.inReady = want;
        }
        if (lane.leased == null && lane.pending.isEmpty()) {
            lanes.remove(key);
        }
    }

    private Stream<Slot> pending() {
        return Stream.concat(ready.stream().filter(s -> s.exclusiveKey == null),
                lanes.values().stream().flatMap(l -> l.pending.stream()));
    }

    // ---- serialization (migration and backup replication) -------------------------------------------------

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(incarnation);
        out.writeLong(version);
        out.writeLong(seq);
        out.writeLong(purgedThrough);
        out.writeLong(purgedSince);
        out.writeInt(slots.size());
        for (Slot s : slots.values()) {
            if (s.state != MessageState.DEAD) {
                s.writeData(out);
            }
        }
        for (Slot s : dead) { // in the order they died, which replay follows
            s.writeData(out);
        }
        out.writeInt(tombstones.size());
        for (Map.Entry<String, Tombstone> e : tombstones.entrySet()) {
            out.writeString(e.getKey());
            e.getValue().write(out);
        }
        out.writeInt(journal.size());
        for (Map.Entry<String, DirtyMark> e : journal.entrySet()) {
            out.writeString(e.getKey());
            out.writeLong(e.getValue().version);
            out.writeLong(e.getValue().since);
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        incarnation = in.readString();
        version = in.readLong();
        seq = in.readLong();
        purgedThrough = in.readLong();
        purgedSince = in.readLong();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            Slot s = new Slot();
            s.readData(in);
            slots.put(s.id, s);
            long since = s.stateSince;
            enter(s, s.state, since);
        }
        int t = in.readInt();
        for (int i = 0; i < t; i++) {
            String id = in.readString();
            Tombstone ts = Tombstone.read(in);
            tombstones.put(id, ts);
            counts[ts.state.ordinal()]++;
        }
        int j = in.readInt();
        for (int i = 0; i < j; i++) {
            journal.put(in.readString(), new DirtyMark(in.readLong(), in.readLong()));
        }
    }

    /** What a reap did, for the caller's metrics and wake-ups. */
    public static final class Reaped {
        int promoted;
        int expired;
        int died;

        public int promoted() { return promoted; }
        public int expired() { return expired; }
        public int died() { return died; }
    }

    /** The messages of one exclusive key that are waiting, and the one leased. */
    private static final class KeyLane {
        final TreeSet<Slot> pending = new TreeSet<>(CLAIM_ORDER);
        Slot leased;
        Slot inReady;
    }

    private static final class DirtyMark {
        long version;
        final long since;

        DirtyMark(long version, long since) {
            this.version = version;
            this.since = since;
        }
    }

    /** A finished message's id, remembered: how it finished, when, and the token that completed it. */
    private static final class Tombstone {
        MessageState state;
        long at;
        String token;
        long version;
        boolean stored;

        Slot asSlot(String id) {
            Slot s = new Slot();
            s.id = id;
            s.state = state;
            s.stateSince = at;
            s.version = version;
            s.stored = stored;
            return s;
        }

        void write(ObjectDataOutput out) throws IOException {
            out.writeByte(state.ordinal());
            out.writeLong(at);
            out.writeString(token);
            out.writeLong(version);
            out.writeBoolean(stored);
        }

        static Tombstone read(ObjectDataInput in) throws IOException {
            Tombstone t = new Tombstone();
            t.state = MessageState.values()[in.readByte()];
            t.at = in.readLong();
            t.token = in.readString();
            t.version = in.readLong();
            t.stored = in.readBoolean();
            return t;
        }
    }
}
