package io.orrery.queue.grid;

import io.orrery.api.queue.MessageState;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The indexes of a shard's held messages, one per state, so that every operation touches only what it needs:
 * <ul>
 *   <li>{@code ready}: claimable messages in claim order: priority (9 first), earliest deadline (none last), then
 *       FIFO by order stamp (enqueue time, or the end of a delay), then arrival.</li>
 *   <li>Exclusivity: all pending messages of one exclusive key wait in a {@link KeyLane}; only the lane's best one
 *       is in {@code ready}, and none while one message of the key is leased. Claiming therefore never scans past
 *       blocked messages.</li>
 *   <li>{@code delayed} by due time, {@code leased} by lease expiry: the reaper pops expired heads.</li>
 *   <li>Dead letters in the order they died (replay follows it).</li>
 * </ul>
 * A slot is in exactly one index, the one of its state: {@link #enter} and {@link #leave} move it.
 */
final class ShardIndex {

    static final Comparator<Slot> CLAIM_ORDER = Comparator.comparingInt((Slot s) -> -s.priority)
            .thenComparingLong(s -> s.deadline)
            .thenComparingLong(s -> s.orderStamp)
            .thenComparingLong(s -> s.seq);
    static final Comparator<Slot> DUE_ORDER = Comparator.comparingLong((Slot s) -> s.availableAt)
            .thenComparingLong(s -> s.seq);
    static final Comparator<Slot> LEASE_ORDER = Comparator.comparingLong((Slot s) -> s.leaseExpiry)
            .thenComparingLong(s -> s.seq);

    private final TreeSet<Slot> ready = new TreeSet<>(CLAIM_ORDER);
    private final TreeSet<Slot> delayed = new TreeSet<>(DUE_ORDER);
    private final TreeSet<Slot> leased = new TreeSet<>(LEASE_ORDER);
    private final Map<String, KeyLane> lanes = new HashMap<>();
    private final LinkedHashSet<Slot> dead = new LinkedHashSet<>();
    private final long[] counts = new long[MessageState.values().length];
    private final long[] pendingByPriority = new long[10];

    /** Puts a slot that is in no index into the index of its new state. */
    void enter(Slot s, MessageState state, long now) {
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
    void leave(Slot s) {
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

    /** Moves a leased slot to its new place in the expiry order. */
    void releaseUntil(Slot s, long leaseExpiry) {
        leased.remove(s);
        s.leaseExpiry = leaseExpiry;
        leased.add(s);
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

    /** Forgets every held message (purge); counts of finished ones stay. */
    void clear() {
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
        Arrays.fill(pendingByPriority, 0);
    }

    Slot firstReady() {
        return ready.isEmpty() ? null : ready.first();
    }

    Slot firstDelayedDueBy(long now) {
        return !delayed.isEmpty() && delayed.first().availableAt <= now ? delayed.first() : null;
    }

    Slot firstLeaseExpiredBy(long now) {
        return !leased.isEmpty() && leased.first().leaseExpiry <= now ? leased.first() : null;
    }

    Slot oldestDead() {
        return dead.isEmpty() ? null : dead.iterator().next();
    }

    int readyCount() {
        return ready.size();
    }

    /** The next delay end or lease expiry, {@link Slot#NONE} when none. */
    long nextDue() {
        long due = delayed.isEmpty() ? Slot.NONE : delayed.first().availableAt;
        return leased.isEmpty() ? due : Math.min(due, leased.first().leaseExpiry);
    }

    void counted(MessageState state, int delta) {
        counts[state.ordinal()] += delta;
    }

    ShardView view(long version) {
        ShardView v = new ShardView();
        v.version = version;
        v.ready = ready.size();
        if (!ready.isEmpty()) {
            Slot head = ready.first();
            v.headPriority = head.priority;
            v.headDeadline = head.deadline;
            v.headStamp = head.orderStamp;
        }
        v.nextDue = nextDue();
        return v;
    }

    ShardStats stats() {
        ShardStats st = new ShardStats();
        System.arraycopy(counts, 0, st.byState, 0, counts.length);
        System.arraycopy(pendingByPriority, 0, st.pendingByPriority, 0, pendingByPriority.length);
        st.oldestPendingSince = pending().mapToLong(s -> s.availableAt).min().orElse(Slot.NONE);
        return st;
    }

    /** Held messages in a state: pending in claim order, the others in their index's order. */
    Stream<Slot> inState(MessageState state) {
        return switch (state) {
            case PENDING -> pending().sorted(CLAIM_ORDER);
            case DELAYED -> delayed.stream();
            case LEASED -> leased.stream();
            case DEAD -> dead.stream();
            default -> Stream.empty();
        };
    }

    /** Dead letters in the order they died, which replay follows (serialization keeps it). */
    List<Slot> deadInOrder() {
        return List.copyOf(dead);
    }

    private Stream<Slot> pending() {
        return Stream.concat(ready.stream().filter(s -> s.exclusiveKey == null),
                lanes.values().stream().flatMap(l -> l.pending.stream()));
    }

    /** The messages of one exclusive key that are waiting, and the one leased. */
    private static final class KeyLane {
        final TreeSet<Slot> pending = new TreeSet<>(CLAIM_ORDER);
        Slot leased;
        Slot inReady;
    }
}
