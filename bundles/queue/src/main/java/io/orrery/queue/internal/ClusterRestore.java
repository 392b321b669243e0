package io.orrery.queue.internal;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.orrery.api.fault.CrashPoints;
import io.orrery.queue.grid.RestoreOperation;
import io.orrery.queue.grid.Slot;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the queues back from the store when the cluster starts from nothing (a full restart: Hazelcast Community
 * Edition keeps nothing across it). The first member to start does it, under a cluster lock, and leaves a marker
 * in {@value #META}; while any member lives the marker does too (it is backed up like any map entry), so members
 * that join a running cluster do not restore again.
 */
final class ClusterRestore {

    static final String META = "orrery.queue.meta";
    private static final Logger LOG = LoggerFactory.getLogger(ClusterRestore.class);
    private static final int CHUNK = 1000;

    private final HazelcastInstance hz;
    private final QueueContext ctx;
    private final QueueRegistry registry;
    private final ShardCalls calls;
    private final MessageTable table;
    private final QueueOptions options;

    ClusterRestore(HazelcastInstance hz, QueueContext ctx, MessageTable table, QueueOptions options) {
        this.hz = hz;
        this.ctx = ctx;
        this.registry = ctx.registry();
        this.calls = ctx.calls();
        this.table = table;
        this.options = options;
    }

    void restoreIfFirst() {
        IMap<String, String> meta = hz.getMap(META);
        meta.lock("restore");
        try {
            if (meta.containsKey("restored")) {
                return;
            }
            long n = restore();
            meta.put("restored", hz.getCluster().getLocalMember().getUuid() + " restored " + n);
        } catch (SQLException e) {
            throw new IllegalStateException("queue: cannot read the queues back from the store: " + e, e);
        } finally {
            meta.unlock("restore");
        }
    }

    private long restore() throws SQLException {
        long started = System.nanoTime();
        for (QueueRoute route : table.loadQueues(options)) {
            registry.restore(route);
        }
        Map<String, List<Slot>> pending = new HashMap<>();
        long[] count = {0};
        long now = ctx.clock().now();
        long windowStart = now - Micros.of(options.idempotencyWindow());
        // Finished rows older than the window are not read back, so no shard would learn their versions. Left in the
        // store until the writer's cleanup, such a row outranks its id enqueued again meanwhile (a shard restored
        // empty counts from 0): the version guard drops the new message's writes, and the cleanup then deletes the
        // row, and the message with it. Deleted first, no row is left unread: every shard continues after its rows.
        int forgotten = table.deleteFinishedBefore(windowStart);
        table.load(windowStart, row -> {
            QueueRoute route = registry.ensure(row.queue());
            String key = route.shardKeyFor(row.slot().id(), row.slot().exclusiveKey());
            List<Slot> chunk = pending.computeIfAbsent(key, k -> new ArrayList<>());
            chunk.add(row.slot());
            count[0]++;
            if (chunk.size() >= CHUNK) {
                send(route, key, pending.remove(key), now);
            }
        });
        pending.forEach((key, rows) -> send(registry.ensure(ShardKeys.queueOf(key)), key, rows, now));
        if (count[0] > 0 || forgotten > 0) {
            LOG.info("queue: restored {} message(s) from the store in {} ms; {} finished before the idempotency "
                    + "window forgotten", count[0], (System.nanoTime() - started) / 1_000_000, forgotten);
        }
        return count[0];
    }

    private void send(QueueRoute route, String key, List<Slot> rows, long now) {
        calls.call(route, key, new RestoreOperation(now, route.rules(), rows));
        CrashPoints.reach(QueueCrashPoints.RESTORE_CHUNK, hz.getName());
    }
}
