package io.orrery.api.queue;

import java.time.Instant;
import java.util.Objects;

/**
 * A message leased to one consumer. The consumer must {@link QueueService#ack ack}, {@link QueueService#nack nack}
 * or {@link QueueService#extend extend} before {@code leaseExpiry}; after it the message is claimable again and
 * the token is void, so a slow consumer's late ack cannot complete someone else's delivery.
 *
 * @param message     the message, with {@code attempts} counting this delivery
 * @param leaseToken  proves this delivery in ack, nack, extend
 * @param leaseExpiry when the lease runs out unless extended
 * @param enqueuedAt  when the message was (last) made available: enqueue, nack or replay
 */
public record Claim(QueueMessage message, String leaseToken, Instant leaseExpiry, Instant enqueuedAt) {

    public Claim {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(leaseToken, "leaseToken");
        Objects.requireNonNull(leaseExpiry, "leaseExpiry");
        Objects.requireNonNull(enqueuedAt, "enqueuedAt");
    }

    public QueueId queueId() {
        return message.queueId();
    }

    public String messageId() {
        return message.id();
    }
}
