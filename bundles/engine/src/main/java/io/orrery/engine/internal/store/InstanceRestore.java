package io.orrery.engine.internal.store;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.orrery.engine.internal.InstanceCodec;
import io.orrery.engine.internal.InstanceRecord;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the instances back from the store when the cluster starts from nothing (Hazelcast Community Edition keeps
 * nothing across a full restart). The first engine to start does it under a cluster lock and leaves a marker in
 * {@value #META}; the marker lives as long as any member does, so engines joining a running cluster skip it.
 * Meanwhile a miss on another member waits for the lock ({@link DurableInstanceTable}), so no request starts a
 * new instance over a stored one. Instances with calls pending get those calls again (the queue refuses
 * duplicates by message id): a call saved just before the crash may never have been enqueued. A pending call whose
 * result the queues have spent, applied in a save the store never saw, is first given a fresh id (the engine's
 * {@code LostOutcomes}), or the queue would refuse it.
 *
 * <p>A restored record never replaces one the map holds: the marker can be lost while members live on (its
 * partition and backups on members that died), and then the map holds newer records than the store. Every restored
 * record enters a new epoch, at least the restore's generation ({@link RestoreGenerations}), written before the
 * record enters the map: call ids made after the restore differ from those made after the store's last write, and
 * from those made after an earlier restore whose saves a second crash lost.
 */
public final class InstanceRestore {

    public static final String META = "orrery.engine.meta";
    public static final String MARKER = "restored";
    private static final Logger LOG = LoggerFactory.getLogger(InstanceRestore.class);
    private static final int CHUNK = 500;
    private static final int REDISPATCH_BATCH = 200;

    private InstanceRestore() {
    }

    /**
     * Restores if no engine of this cluster has; answers the instances restored, or -1 when it was done already.
     *
     * @param reissue moves the spent calls of a record with calls pending to fresh ids, answering how many
     * @param pending receives, a batch at a time, the restored records that have calls pending
     */
    public static long restoreIfFirst(HazelcastInstance hz, IMap<String, byte[]> map, InstanceRows rows,
                                      RestoreGenerations generations, ToIntFunction<InstanceRecord> reissue,
                                      Consumer<List<InstanceRecord>> pending) {
        IMap<String, String> meta = hz.getMap(META);
        meta.lock(MARKER);
        try {
            if (meta.containsKey(MARKER)) {
                return -1;
            }
            long started = System.nanoTime();
            List<InstanceRecord> withCalls = new ArrayList<>();
            Map<String, InstanceRecord> chunk = new HashMap<>();
            var counts = new Counts();
            var era = new Era(generations, generations.next());
            long n = rows.loadAll(row -> {
                InstanceRecord rec = InstanceCodec.decode(row.body());
                rec.epoch = era.of(rec.epoch);
                chunk.put(row.id(), rec);
                if (chunk.size() == CHUNK) {
                    era.written();
                    putAbsent(map, chunk, withCalls, reissue, counts);
                }
            });
            era.written();
            putAbsent(map, chunk, withCalls, reissue, counts);
            for (int i = 0; i < withCalls.size(); i += REDISPATCH_BATCH) {
                pending.accept(withCalls.subList(i, Math.min(withCalls.size(), i + REDISPATCH_BATCH)));
            }
            meta.put(MARKER, hz.getCluster().getLocalMember().getUuid() + " restored " + n);
            LOG.info("engine: restored {} instance(s) from the store in {} ms ({} live in the map kept), {} with "
                    + "calls pending re-dispatched ({} call(s) whose results were lost issued again)", n,
                    (System.nanoTime() - started) / 1_000_000, counts.kept.get(), withCalls.size(),
                    counts.reissued.get());
            return n;
        } catch (SQLException e) {
            throw new IllegalStateException("engine: cannot read the instances back from the store: " + e, e);
        } finally {
            meta.unlock(MARKER);
        }
    }

    /** Stores each record unless the map holds one; the records stored with calls pending go to {@code withCalls}. */
    private static void putAbsent(IMap<String, byte[]> map, Map<String, InstanceRecord> chunk,
                                  List<InstanceRecord> withCalls, ToIntFunction<InstanceRecord> reissue,
                                  Counts counts) {
        List<Map.Entry<String, InstanceRecord>> entries = new ArrayList<>(chunk.entrySet());
        List<InstanceRecord> stored = entries.parallelStream().filter(e -> {
            InstanceRecord rec = e.getValue();
            // A record the map holds is kept: not worth the queues' questions (nor counted as issuing calls again).
            boolean absent = !map.containsKey(e.getKey());
            int moved = absent && !rec.pending.isEmpty() ? reissue.applyAsInt(rec) : 0; // in parallel too
            absent = absent && map.putIfAbsent(e.getKey(), InstanceCodec.encode(rec)) == null;
            if (absent) {
                counts.reissued.addAndGet(moved);
            } else {
                counts.kept.incrementAndGet();
            }
            return absent;
        }).map(Map.Entry::getValue).toList();
        stored.stream().filter(r -> !r.pending.isEmpty()).forEach(withCalls::add);
        chunk.clear();
    }

    /**
     * The epochs of a restore: the restore's generation, or past it for a record that went through more restores
     * before generations were kept; then the generation is raised before such a record enters the map.
     */
    private static final class Era {
        private final RestoreGenerations generations;
        private long written;
        private long highest;

        Era(RestoreGenerations generations, long generation) {
            this.generations = generations;
            this.written = generation;
            this.highest = generation;
        }

        int of(int storedEpoch) {
            int epoch = (int) Math.max(storedEpoch + 1L, written);
            highest = Math.max(highest, epoch);
            return epoch;
        }

        /** Makes sure the store's generation covers every epoch handed out so far. */
        void written() {
            if (highest > written) {
                try {
                    generations.raiseTo(highest);
                } catch (SQLException e) {
                    throw new IllegalStateException("engine: cannot record the restore's generation: " + e, e);
                }
                written = highest;
            }
        }
    }

    private record Counts(AtomicLong kept, AtomicLong reissued) {
        Counts() {
            this(new AtomicLong(), new AtomicLong());
        }
    }

    /** A stored record as it enters the map after a crash of the whole cluster: in the next epoch. */
    static byte[] nextEpoch(byte[] stored) {
        InstanceRecord rec = InstanceCodec.decode(stored);
        rec.epoch++;
        return InstanceCodec.encode(rec);
    }
}
