package io.orrery.queue.internal;

import io.orrery.api.queue.MessageInfo;
import io.orrery.api.queue.MessageState;
import io.orrery.api.queue.QueueId;
import io.orrery.api.queue.QueueStats;
import io.orrery.queue.grid.InspectOperation;
import io.orrery.queue.grid.ShardOperation;
import io.orrery.queue.grid.ShardReply;
import io.orrery.queue.grid.ShardStats;
import io.orrery.queue.grid.Slot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/** Reading a queue without changing it: one message, a state's messages across shards, the counts. */
final class QueueInspection {

    private final QueueContext ctx;

    QueueInspection(QueueContext ctx) {
        this.ctx = ctx;
    }

    Optional<MessageInfo> find(QueueId queue, String messageId) {
        QueueRoute route = ctx.registry().find(queue).orElse(null);
        if (route == null) {
            return Optional.empty();
        }
        Slot[] found = new Slot[1];
        searchShards(route, messageId, key -> {
            found[0] = InspectOperation.found(ctx.calls().call(route, key,
                    InspectOperation.find(ctx.clock().now(), route.rules(), messageId)));
            return found[0] != null;
        });
        return Optional.ofNullable(found[0]).map(s -> MessageCodec.toInfo(queue, s));
    }

    /** Tries the shard the id alone maps to first (messages without an exclusive key), then the others. */
    static boolean searchShards(QueueRoute route, String id, Predicate<String> inShard) {
        String first = route.shardKeyFor(id, null);
        if (inShard.test(first)) {
            return true;
        }
        return route.shardKeys().stream().filter(k -> !k.equals(first)).anyMatch(inShard);
    }

    List<MessageInfo> browse(QueueId queue, MessageState state, int limit) {
        QueueRoute route = ctx.registry().find(queue).orElse(null);
        if (route == null || limit <= 0) {
            return List.of();
        }
        List<Slot> all = new ArrayList<>();
        eachShard(route, key -> InspectOperation.browse(ctx.clock().now(), route.rules(), state, limit))
                .forEach(r -> all.addAll(r.slots()));
        Comparator<Slot> order = switch (state) {
            case PENDING -> Comparator.comparingInt((Slot s) -> -s.priority()).thenComparingLong(Slot::deadline)
                    .thenComparingLong(Slot::orderStamp);
            case DELAYED -> Comparator.comparingLong(Slot::availableAt);
            case LEASED -> Comparator.comparingLong(Slot::leaseExpiry);
            default -> Comparator.comparingLong(Slot::stateSince);
        };
        return all.stream().sorted(order).limit(limit).map(s -> MessageCodec.toInfo(queue, s)).toList();
    }

    QueueStats stats(QueueId queue) {
        ShardStats sum = new ShardStats();
        ctx.registry().find(queue).ifPresent(route ->
                eachShard(route, key -> InspectOperation.stats(ctx.clock().now(), route.rules()))
                        .forEach(r -> sum.add(r.stats() == null ? new ShardStats() : r.stats())));
        return toStats(queue, sum, ctx.clock().now());
    }

    static QueueStats toStats(QueueId queue, ShardStats s, long now) {
        Map<MessageState, Long> byState = new EnumMap<>(MessageState.class);
        for (MessageState st : MessageState.values()) {
            byState.put(st, s.count(st));
        }
        Map<Integer, Long> byPriority = new TreeMap<>();
        for (int p = 9; p >= 0; p--) {
            if (s.pendingWithPriority(p) > 0) {
                byPriority.put(p, s.pendingWithPriority(p));
            }
        }
        Duration oldest = s.oldestPendingSince() == Slot.NONE ? Duration.ZERO
                : Duration.ofNanos(Math.max(0, now - s.oldestPendingSince()) * 1000);
        return new QueueStats(queue, byState, byPriority, oldest, s.count(MessageState.LEASED),
                s.count(MessageState.DEAD));
    }

    /** Runs one operation per shard of the queue, all at once. */
    List<ShardReply> eachShard(QueueRoute route, Function<String, ShardOperation> op) {
        return ctx.calls().callAll(route.shardKeys().stream()
                .map(key -> new ShardCalls.Call(route, key, op.apply(key))).toList());
    }
}
