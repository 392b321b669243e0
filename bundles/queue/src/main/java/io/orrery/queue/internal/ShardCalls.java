package io.orrery.queue.internal;

import com.hazelcast.map.IMap;
import io.orrery.queue.grid.Shard;
import io.orrery.queue.grid.ShardOperation;
import io.orrery.queue.grid.ShardReply;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs shard operations on the shard map and takes note of every reply: the shard's view for claimers, a wake-up
 * when the shard's head improved (it turned claimable, or a more urgent message heads it), and the lease expiries
 * and deaths the operation's reap caused.
 *
 * <p>Operations on several shards are submitted together and their replies handled on the calling thread after
 * joining, never in completion callbacks: Hazelcast runs those on its default async executor, which on a machine
 * with fewer than three cores starts a new thread per callback.
 */
final class ShardCalls {

    private static final Logger LOG = LoggerFactory.getLogger(ShardCalls.class);

    /** One operation on one shard of a queue. */
    record Call(QueueRoute route, String key, ShardOperation op) {
    }

    private final IMap<String, Shard> map;
    private final ShardViews views;
    private final Doorbell doorbell;
    private final QueueMetrics metrics;

    ShardCalls(IMap<String, Shard> map, ShardViews views, Doorbell doorbell, QueueMetrics metrics) {
        this.map = map;
        this.views = views;
        this.doorbell = doorbell;
        this.metrics = metrics;
    }

    ShardReply call(QueueRoute route, String key, ShardOperation op) {
        long started = System.nanoTime();
        return seen(route, key, ShardReply.fromBytes(map.executeOnKey(key, op.on(key))), started);
    }

    /** Runs the calls in parallel; replies in the order of the calls. The first failure is thrown. */
    List<ShardReply> callAll(List<Call> calls) {
        if (calls.size() == 1) {
            Call c = calls.get(0);
            return List.of(call(c.route(), c.key(), c.op()));
        }
        List<ShardReply> replies = new ArrayList<>(calls.size());
        long started = System.nanoTime();
        RuntimeException failure = null;
        for (CompletableFuture<byte[]> f : submit(calls)) {
            try {
                replies.add(ShardReply.fromBytes(f.join()));
            } catch (RuntimeException e) {
                failure = failure == null ? unwrap(e) : failure;
                replies.add(null);
            }
        }
        if (failure != null) {
            throw failure;
        }
        for (int i = 0; i < calls.size(); i++) {
            seen(calls.get(i).route(), calls.get(i).key(), replies.get(i), started);
        }
        return replies;
    }

    /** Runs the calls in parallel and hands each reply (or failure) to {@code each}; never throws. */
    void callEach(List<Call> calls, BiConsumer<Call, ShardReply> each, BiConsumer<Call, RuntimeException> failed) {
        long started = System.nanoTime();
        List<CompletableFuture<byte[]>> futures = submit(calls);
        for (int i = 0; i < calls.size(); i++) {
            Call c = calls.get(i);
            try {
                each.accept(c, seen(c.route(), c.key(), ShardReply.fromBytes(futures.get(i).join()), started));
            } catch (RuntimeException e) {
                failed.accept(c, unwrap(e));
            }
        }
    }

    private List<CompletableFuture<byte[]>> submit(List<Call> calls) {
        List<CompletableFuture<byte[]>> futures = new ArrayList<>(calls.size());
        for (Call c : calls) {
            futures.add(map.submitToKey(c.key(), c.op().on(c.key())).toCompletableFuture());
        }
        return futures;
    }

    private static RuntimeException unwrap(RuntimeException e) {
        return e instanceof CompletionException && e.getCause() instanceof RuntimeException r ? r : e;
    }

    private ShardReply seen(QueueRoute route, String key, ShardReply reply, long startedNanos) {
        views.update(key, reply.view(), startedNanos);
        if (reply.headImproved() || reply.promoted() > 0) {
            doorbell.ring(key);
        }
        if (reply.expired() > 0 || reply.died() > 0) {
            QueueMetrics.Meters m = metrics.of(route.id());
            m.expired.increment(reply.expired());
            m.dead.increment(reply.died());
            if (reply.died() > 0) {
                try (var log = LogContext.of(route.id().tenant(), null)) {
                    LOG.info("{}: {} message(s) moved to the dead letters", route.id(), reply.died());
                }
            }
        }
        return reply;
    }
}
