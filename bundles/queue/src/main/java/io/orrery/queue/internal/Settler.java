package io.orrery.queue.internal;

import io.orrery.api.queue.Claim;
import io.orrery.api.queue.QueueId;
import io.orrery.queue.grid.SettleOperation;
import io.orrery.queue.grid.Settlement;
import io.orrery.queue.grid.ShardReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer's answers to a delivery: ack (one or a batch, one call per shard), nack, reject, extend. The lease
 * token names the shard, so each goes straight to it.
 */
final class Settler {

    private static final Logger LOG = LoggerFactory.getLogger(Settler.class);

    private final QueueContext ctx;

    Settler(QueueContext ctx) {
        this.ctx = ctx;
    }

    boolean ack(QueueId queue, String messageId, String leaseToken) {
        return settle(queue, Settlement.ack(messageId, MessageCodec.slotToken(leaseToken)), leaseToken)
                .map(reply -> countAcks(queue, reply.flags()[0] ? 1 : 0) == 1).orElse(false);
    }

    int ackAll(List<Claim> claims) {
        ctx.guard().check();
        Map<String, List<Claim>> byShard = new LinkedHashMap<>();
        for (Claim c : claims) {
            int shard = MessageCodec.shardOfToken(c.leaseToken());
            if (shard >= 0) {
                byShard.computeIfAbsent(ShardKeys.key(c.queueId(), shard), k -> new ArrayList<>()).add(c);
            }
        }
        long now = ctx.clock().now();
        List<ShardCalls.Call> batch = new ArrayList<>();
        byShard.forEach((key, ofShard) -> ctx.registry().find(ofShard.get(0).queueId()).ifPresent(route ->
                batch.add(new ShardCalls.Call(route, key, new SettleOperation(now, route.rules(), ofShard.stream()
                        .map(c -> Settlement.ack(c.messageId(), MessageCodec.slotToken(c.leaseToken())))
                        .toList())))));
        List<ShardReply> replies = ctx.calls().callAll(batch);
        int acked = 0;
        for (int b = 0; b < batch.size(); b++) {
            acked += countAcks(batch.get(b).route().id(), trues(replies.get(b).flags()));
        }
        return acked;
    }

    boolean nack(Claim claim, Duration delay, String given) {
        String reason = FailureReason.of(given);
        Settlement s = new Settlement(Settlement.Kind.NACK, claim.messageId(),
                MessageCodec.slotToken(claim.leaseToken()), Micros.of(delay == null ? Duration.ZERO : delay), reason);
        boolean ok = settle(claim.queueId(), s, claim.leaseToken()).map(r -> r.flags()[0]).orElse(false);
        if (ok) {
            ctx.metrics().of(claim.queueId()).nacked.increment();
            try (var log = LogContext.of(claim.message().tenant(), claim.message().trace().traceId())) {
                LOG.debug("{}: nacked {} (attempt {}): {}", claim.queueId(), claim.messageId(),
                        claim.message().attempts(), reason);
            }
        }
        return ok;
    }

    boolean reject(Claim claim, String given) {
        String reason = FailureReason.of(given);
        Settlement s = new Settlement(Settlement.Kind.REJECT, claim.messageId(),
                MessageCodec.slotToken(claim.leaseToken()), 0, reason);
        boolean ok = settle(claim.queueId(), s, claim.leaseToken()).map(r -> r.flags()[0]).orElse(false);
        if (ok) {
            try (var log = LogContext.of(claim.message().tenant(), claim.message().trace().traceId())) {
                LOG.info("{}: {} rejected to the dead letters: {}", claim.queueId(), claim.messageId(), reason);
            }
        }
        return ok;
    }

    Optional<Claim> extend(Claim claim, Duration lease) {
        Settlement s = new Settlement(Settlement.Kind.EXTEND, claim.messageId(),
                MessageCodec.slotToken(claim.leaseToken()), Micros.of(lease), null);
        return settle(claim.queueId(), s, claim.leaseToken())
                .map(r -> r.slots().isEmpty() ? null : r.slots().get(0))
                .map(slot -> new Claim(claim.message(), claim.leaseToken(), Micros.instant(slot.leaseExpiry()),
                        claim.enqueuedAt()));
    }

    private Optional<ShardReply> settle(QueueId queue, Settlement s, String leaseToken) {
        ctx.guard().check();
        int shard = MessageCodec.shardOfToken(leaseToken);
        QueueRoute route = ctx.registry().find(queue).orElse(null);
        if (route == null || shard < 0 || shard >= route.shards()) {
            return Optional.empty();
        }
        return Optional.of(ctx.calls().call(route, ShardKeys.key(queue, shard),
                new SettleOperation(ctx.clock().now(), route.rules(), List.of(s))));
    }

    private int countAcks(QueueId queue, int n) {
        ctx.metrics().of(queue).acked.increment(n);
        return n;
    }

    private static int trues(boolean[] flags) {
        int n = 0;
        for (boolean f : flags) {
            n += f ? 1 : 0;
        }
        return n;
    }
}
