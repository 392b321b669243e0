package io.orrery.viewinghistory.internal.processor;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.kafka.common.TopicPartition;

/**
 * How far each partition's offsets may be committed: not past the first event of a session whose entry the store
 * does not hold yet. The grid keeps an open session's events in memory only, so when the whole cluster restarts
 * (every restart of a one-member node) they are gone; Kafka still has them, and because the committed offset stops
 * at the oldest such session, the consumer that takes the partition next reads them again. Appends drop what the
 * grid already holds, and the store keeps the newest computation, so reading a partition again writes nothing twice.
 *
 * <p>Events are published without a key, so one session's events are spread over partitions, read by several
 * consumers. A session is held in a partition from its first event there until a batch of that partition writes
 * it, or the grid says it is settled: asked in turn with the others by the partition's next batches ({@link #due}: a
 * cursor over the held sessions, so long open sessions at the front never keep the rest from being asked), and by the
 * batch that held it first when that batch ends a backlog ({@code EventBatch}). A session held longer than
 * {@code maxHold} (the grid's retention) is let go.
 *
 * <p>When the grid loses some of its partitions while the cluster stays up, the sessions that lived there lose their
 * events too; a partition holding any of them is read again from the first ({@link #lose}, {@link #rewind}).
 *
 * <p>Each partition has an owner, a consumer in one generation of the group. With the eager assignor the route pins,
 * every rebalance revokes every partition and the consumer reads those it gets from their committed offsets, as a
 * new consumer does (a reconnect, a rescale): a partition read under another owner starts over, its holds dropped,
 * and holds again what it reads. Consumers of one route share an instance; a partition is read by one of them at a
 * time.
 */
final class CommitHorizon {

    /** A consumer (by identity) in one generation of its group. */
    record Owner(Object consumer, int generation) {

        @Override
        public boolean equals(Object other) {
            return other instanceof Owner o && o.consumer == consumer && o.generation == generation;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(consumer) * 31 + generation;
        }
    }

    /** Where and since when a session is held. */
    private record Hold(long offset, long since) {
    }

    /** One partition: its owner, its held sessions by first offset and the reverse, and where asking goes on. */
    private static final class Partition {
        Owner owner;
        final TreeMap<Long, String> byOffset = new TreeMap<>();
        final Map<String, Hold> holds = new HashMap<>();
        long cursor;
        /** Where to read the partition again from, its first held session the grid lost; -1: nowhere. */
        long rewind = -1;
    }

    private final Map<TopicPartition, Partition> partitions = new HashMap<>();
    private final Duration maxHold;
    private final Clock clock;

    CommitHorizon(Duration maxHold, Clock clock) {
        this.maxHold = maxHold;
        this.clock = clock;
    }

    /**
     * Records that {@code owner} reads {@code partition}; true when it did not before (its holds are dropped then:
     * they were another assignment's). The partitions the same consumer read in an earlier generation are dropped
     * too: revoked in that rebalance, they start over when read again.
     */
    synchronized boolean own(TopicPartition partition, Owner owner) {
        Partition p = partitions.computeIfAbsent(partition, k -> new Partition());
        if (owner.equals(p.owner)) {
            return false;
        }
        partitions.values().removeIf(other -> other != p && other.owner != null
                && other.owner.consumer() == owner.consumer() && other.owner.generation() != owner.generation());
        p.owner = owner;
        p.byOffset.clear();
        p.holds.clear();
        p.cursor = 0;
        p.rewind = -1;
        return true;
    }

    /**
     * Holds {@code session} at {@code offset} of {@code partition}, unless it is held there at an earlier one; true
     * when it was not held there before. Nothing when {@code owner} no longer reads the partition.
     */
    synchronized boolean hold(TopicPartition partition, Owner owner, String session, long offset) {
        Partition p = owned(partition, owner);
        if (p == null) {
            return false;
        }
        Hold earlier = p.holds.get(session);
        if (earlier != null && earlier.offset() <= offset) {
            return false;
        }
        if (earlier != null) {
            p.byOffset.remove(earlier.offset());
        }
        p.holds.put(session, new Hold(offset, earlier == null ? clock.millis() : earlier.since()));
        p.byOffset.put(offset, session);
        return earlier == null;
    }

    /**
     * Lets these sessions go in {@code partition}: the store holds all their events. Nothing when {@code owner} no
     * longer reads the partition: a consumer that outlived its turn in the group (past {@code max.poll.interval.ms})
     * must not let go of what the partition's new owner holds, which it may have read further than the old one.
     */
    synchronized void release(TopicPartition partition, Owner owner, Collection<String> sessions) {
        Partition p = owned(partition, owner);
        if (p != null) {
            release(p, sessions);
        }
    }

    private static void release(Partition p, Collection<String> sessions) {
        for (String session : sessions) {
            Hold hold = p.holds.remove(session);
            if (hold != null) {
                p.byOffset.remove(hold.offset());
            }
        }
    }

    /**
     * The next {@code max} sessions held in {@code partition} to ask about, going on from where the last call
     * stopped and starting over at the front past the end; those held longer than {@code maxHold} are let go
     * instead. None when {@code owner} no longer reads the partition.
     */
    synchronized List<String> due(TopicPartition partition, Owner owner, int max) {
        Partition p = owned(partition, owner);
        List<String> due = new ArrayList<>();
        if (p == null || p.byOffset.isEmpty()) {
            return due;
        }
        long cutoff = clock.millis() - maxHold.toMillis();
        List<String> expired = new ArrayList<>();
        int visited = 0;
        while (due.size() < max && visited < p.byOffset.size()) {
            Map.Entry<Long, String> next = p.byOffset.ceilingEntry(p.cursor);
            if (next == null) {
                next = p.byOffset.firstEntry();
            }
            p.cursor = next.getKey() + 1;
            (p.holds.get(next.getValue()).since() < cutoff ? expired : due).add(next.getValue());
            visited++;
        }
        release(p, expired);
        return due;
    }

    /**
     * The grid lost the sessions {@code lost} tells (a partition of the grid gone with its members): each partition
     * holding any of them is to be read again from the first, for their events to come back into the grid
     * ({@link #rewind}). They stay held until then, and after, until written.
     */
    synchronized void lose(Predicate<String> lost) {
        for (Partition p : partitions.values()) {
            for (Map.Entry<Long, String> held : p.byOffset.entrySet()) {   // by offset: the first lost one
                if (lost.test(held.getValue())) {
                    p.rewind = p.rewind < 0 ? held.getKey() : Math.min(p.rewind, held.getKey());
                    break;
                }
            }
        }
    }

    /** Where {@code owner} is to read {@code partition} again from, once; -1 when nowhere. */
    synchronized long rewind(TopicPartition partition, Owner owner) {
        Partition p = owned(partition, owner);
        if (p == null) {
            return -1;
        }
        long at = p.rewind;
        p.rewind = -1;
        return at;
    }

    private Partition owned(TopicPartition partition, Owner owner) {
        Partition p = partitions.get(partition);
        return p != null && owner.equals(p.owner) ? p : null;
    }

    /** The offset to commit for {@code partition}, whose next unread record is {@code next}. */
    synchronized long committable(TopicPartition partition, long next) {
        Partition p = partitions.get(partition);
        return p == null || p.byOffset.isEmpty() ? next : Math.min(next, p.byOffset.firstKey());
    }

    /** Sessions held in {@code partition}. */
    synchronized int held(TopicPartition partition) {
        Partition p = partitions.get(partition);
        return p == null ? 0 : p.holds.size();
    }

    /** Sessions held in all partitions. */
    synchronized int held() {
        return partitions.values().stream().mapToInt(p -> p.holds.size()).sum();
    }
}
