package io.orrery.queue.internal;

import io.orrery.api.queue.QueueMessage;
import io.orrery.queue.grid.EnqueueOperation;
import io.orrery.queue.grid.ShardReply;
import io.orrery.queue.grid.Slot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer side: checks a message against what the store can hold (a message the journal could not write
 * would otherwise be accepted and then lost in a full restart), routes it to its shard, and enqueues a batch with
 * one call per shard.
 */
final class Enqueuer {

    /** The widest exclusive key the store's {@code queue_messages.exclusive_key} column holds. */
    static final int MAX_EXCLUSIVE_KEY = 200;
    private static final Logger LOG = LoggerFactory.getLogger(Enqueuer.class);

    private final QueueContext ctx;

    Enqueuer(QueueContext ctx) {
        this.ctx = ctx;
    }

    boolean enqueue(QueueMessage message) {
        check(message);
        ctx.guard().check();
        QueueRoute route = ctx.registry().ensure(message.queueId());
        String key = route.shardKeyFor(message.id(), message.exclusiveKey());
        ShardReply reply = ctx.calls().call(route, key, new EnqueueOperation(ctx.clock().now(), route.rules(),
                List.of(MessageCodec.toSlot(message, ctx.clock().stamp()))));
        return counted(route, message, reply.flags()[0]);
    }

    List<Boolean> enqueueAll(List<QueueMessage> messages) {
        messages.forEach(Enqueuer::check);
        ctx.guard().check();
        Map<String, List<Integer>> byShard = new LinkedHashMap<>();
        Map<String, QueueRoute> routes = new LinkedHashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            QueueMessage m = messages.get(i);
            QueueRoute route = ctx.registry().ensure(m.queueId());
            String key = route.shardKeyFor(m.id(), m.exclusiveKey());
            routes.put(key, route);
            byShard.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
        }
        long now = ctx.clock().now();
        List<ShardCalls.Call> batch = new ArrayList<>();
        byShard.forEach((key, indexes) -> {
            QueueRoute route = routes.get(key);
            List<Slot> slots = indexes.stream()
                    .map(i -> MessageCodec.toSlot(messages.get(i), ctx.clock().stamp())).toList();
            batch.add(new ShardCalls.Call(route, key, new EnqueueOperation(now, route.rules(), slots)));
        });
        List<ShardReply> replies = ctx.calls().callAll(batch);
        Boolean[] accepted = new Boolean[messages.size()];
        for (int b = 0; b < batch.size(); b++) {
            List<Integer> indexes = byShard.get(batch.get(b).key());
            for (int k = 0; k < indexes.size(); k++) {
                int i = indexes.get(k);
                accepted[i] = counted(batch.get(b).route(), messages.get(i), replies.get(b).flags()[k]);
            }
        }
        return List.of(accepted);
    }

    /** Refuses what the store could not hold, naming the field, before anything is enqueued. */
    static void check(QueueMessage m) {
        if (m.exclusiveKey() != null && m.exclusiveKey().length() > MAX_EXCLUSIVE_KEY) {
            throw new IllegalArgumentException("exclusiveKey: at most " + MAX_EXCLUSIVE_KEY + " characters, got "
                    + m.exclusiveKey().length() + " (message " + m.id() + " of " + m.queueId() + ")");
        }
    }

    private boolean counted(QueueRoute route, QueueMessage m, boolean accepted) {
        QueueMetrics.Meters meters = ctx.metrics().of(route.id());
        (accepted ? meters.enqueued : meters.duplicates).increment();
        if (LOG.isDebugEnabled()) {
            try (var log = LogContext.of(m.tenant(), m.trace().traceId())) {
                LOG.debug("{}: {} {}", route.id(), accepted ? "enqueued" : "duplicate refused", m.id());
            }
        }
        return accepted;
    }
}
