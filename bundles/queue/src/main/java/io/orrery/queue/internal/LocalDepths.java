package io.orrery.queue.internal;

import io.orrery.api.queue.MessageState;
import io.orrery.api.queue.QueueId;
import io.orrery.queue.grid.InspectOperation;
import io.orrery.queue.grid.ShardStats;
import io.orrery.queue.grid.Slot;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The depth of each queue held by the shards this member owns, recomputed at most every few seconds (gauges). */
final class LocalDepths {

    private static final Logger LOG = LoggerFactory.getLogger(LocalDepths.class);

    private record Cached(QueueMetrics.LocalDepth depth, long at) {
    }

    private final Map<QueueId, Cached> cache = new ConcurrentHashMap<>();
    private final QueueContext ctx;
    private final LocalShards local;
    private final BooleanSupplier running;

    LocalDepths(QueueContext ctx, LocalShards local, BooleanSupplier running) {
        this.ctx = ctx;
        this.local = local;
        this.running = running;
    }

    QueueMetrics.LocalDepth of(QueueId queue) {
        long now = System.nanoTime();
        Cached c = cache.get(queue);
        if (c == null || now - c.at > TimeUnit.SECONDS.toNanos(5)) {
            c = new Cached(compute(queue), now);
            cache.put(queue, c);
        }
        return c.depth;
    }

    /** Forgets the depths read of the tenant's queues (it is deleted; one created under its name reads afresh). */
    void forget(String tenant) {
        cache.keySet().removeIf(q -> q.tenant().equals(tenant));
    }

    private QueueMetrics.LocalDepth compute(QueueId queue) {
        ShardStats sum = new ShardStats();
        try {
            QueueRoute route = ctx.registry().find(queue).orElse(null);
            if (route != null && running.getAsBoolean()) {
                for (String key : route.shardKeys()) {
                    if (local.owns(key)) {
                        ShardStats s = ctx.calls().call(route, key,
                                InspectOperation.stats(ctx.clock().now(), route.rules())).stats();
                        sum.add(s == null ? new ShardStats() : s);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("queue depth of {} not read: {}", queue, e.toString());
        }
        long[] byState = new long[MessageState.values().length];
        for (MessageState st : MessageState.values()) {
            byState[st.ordinal()] = sum.count(st);
        }
        double age = sum.oldestPendingSince() == Slot.NONE ? 0
                : Math.max(0, ctx.clock().now() - sum.oldestPendingSince()) / 1e6;
        return new QueueMetrics.LocalDepth(byState, age);
    }
}
