package io.orrery.engine.internal.store;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.orrery.engine.internal.InstanceCodec;
import io.orrery.engine.internal.InstanceRecord;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the instances back from the store when the cluster starts from nothing (Hazelcast Community Edition keeps
 * nothing across a full restart). The first engine to start does it under a cluster lock and leaves a marker in
 * {@value #META}; the marker lives as long as any member does, so engines joining a running cluster skip it.
 * Meanwhile a miss on another member waits for the lock ({@link DurableInstanceTable}), so no request starts a
 * new instance over a stored one. Instances with calls pending get those calls again (the queue refuses
 * duplicates by message id): a call saved just before the crash may never have been enqueued.
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
     * @param pending receives, a batch at a time, the restored records that have calls pending
     */
    public static long restoreIfFirst(HazelcastInstance hz, IMap<String, byte[]> map, InstanceRows rows,
                                      Consumer<List<InstanceRecord>> pending) {
        IMap<String, String> meta = hz.getMap(META);
        meta.lock(MARKER);
        try {
            if (meta.containsKey(MARKER)) {
                return -1;
            }
            long started = System.nanoTime();
            List<InstanceRecord> withCalls = new ArrayList<>();
            Map<String, byte[]> chunk = new HashMap<>();
            long n = rows.loadAll(row -> {
                chunk.put(row.id(), row.body());
                if (chunk.size() == CHUNK) {
                    map.putAll(chunk);
                    chunk.clear();
                }
                if (!"IDLE".equals(row.status())) {
                    InstanceRecord rec = InstanceCodec.decode(row.body());
                    if (!rec.pending.isEmpty()) {
                        withCalls.add(rec);
                    }
                }
            });
            map.putAll(chunk);
            for (int i = 0; i < withCalls.size(); i += REDISPATCH_BATCH) {
                pending.accept(withCalls.subList(i, Math.min(withCalls.size(), i + REDISPATCH_BATCH)));
            }
            meta.put(MARKER, hz.getCluster().getLocalMember().getUuid() + " restored " + n);
            LOG.info("engine: restored {} instance(s) from the store in {} ms, {} with calls pending re-dispatched",
                    n, (System.nanoTime() - started) / 1_000_000, withCalls.size());
            return n;
        } catch (SQLException e) {
            throw new IllegalStateException("engine: cannot read the instances back from the store: " + e, e);
        } finally {
            meta.unlock(MARKER);
        }
    }
}
