package io.orrery.api.queue;

import java.time.Duration;
import java.util.Map;

/**
 * A queue's depths at one moment, summed over its shards (each shard is read at a slightly different instant).
 *
 * @param queue             the queue
 * @param byState           messages per state still held (COMPLETED/CANCELLED only while kept for idempotency)
 * @param pendingByPriority PENDING messages per priority 0..9 (only priorities with messages)
 * @param oldestPendingAge  age of the oldest claimable message since it became available, ZERO when none
 * @param inFlight          LEASED messages
 * @param dead              DEAD messages (the queue's dead letters)
 */
public record QueueStats(QueueId queue, Map<MessageState, Long> byState, Map<Integer, Long> pendingByPriority,
                         Duration oldestPendingAge, long inFlight, long dead) {

    public QueueStats {
        byState = Map.copyOf(byState);
        pendingByPriority = Map.copyOf(pendingByPriority);
    }

    public long count(MessageState state) {
        return byState.getOrDefault(state, 0L);
    }

    /** Messages not yet finished: pending, delayed and leased. */
    public long depth() {
        return count(MessageState.PENDING) + count(MessageState.DELAYED) + count(MessageState.LEASED);
    }
}
