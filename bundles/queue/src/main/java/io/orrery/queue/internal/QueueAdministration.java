package io.orrery.queue.internal;

import io.orrery.api.queue.QueueId;
import io.orrery.queue.grid.AdminOperation;
import io.orrery.queue.grid.ShardReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Changes an operator makes to a queue: cancel one message, replay dead letters, purge. */
final class QueueAdministration {

    private static final Logger LOG = LoggerFactory.getLogger(QueueAdministration.class);

    private final QueueContext ctx;
    private final QueueInspection inspection;

    QueueAdministration(QueueContext ctx, QueueInspection inspection) {
        this.ctx = ctx;
        this.inspection = inspection;
    }

    boolean cancel(QueueId queue, String messageId) {
        ctx.guard().check();
        return ctx.registry().find(queue).map(route -> QueueInspection.searchShards(route, messageId, key ->
                ctx.calls().call(route, key, AdminOperation.cancel(ctx.clock().now(), route.rules(), messageId))
                        .count() > 0)).orElse(false);
    }

    int replayDead(QueueId queue, int max) {
        ctx.guard().check();
        QueueRoute route = ctx.registry().find(queue).orElse(null);
        int replayed = 0;
        if (route != null) {
            for (String key : route.shardKeys()) {
                if (replayed >= max) {
                    break;
                }
                replayed += ctx.calls().call(route, key, AdminOperation.replay(ctx.clock().now(), route.rules(),
                        max - replayed)).count();
            }
            LOG.info("{}: replayed {} dead letter(s)", queue, replayed);
        }
        return replayed;
    }

    long purge(QueueId queue) {
        ctx.guard().check();
        QueueRoute route = ctx.registry().find(queue).orElse(null);
        if (route == null) {
            return 0;
        }
        long purged = inspection.eachShard(route, key -> AdminOperation.purge(ctx.clock().now(), route.rules()))
                .stream().mapToLong(ShardReply::count).sum();
        LOG.info("{}: purged {} message(s)", queue, purged);
        return purged;
    }
}
