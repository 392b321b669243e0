package io.orrery.api.queue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Distributed priority queues with leases (Timestone). Claim order within a queue: priority (9 first), then
 * earliest deadline (none last), then enqueue order. Delayed messages wait for their not-before time; at most one
 * message per exclusivity key value is leased at a time. Every method is safe to call from any thread.
 */
public interface QueueService {

    /** Enqueues one message; false when a message with its id is already in the queue (or was, recently). */
    boolean enqueue(QueueMessage message);

    /** Enqueues a batch; the answer holds, per message in order, whether it was newly accepted. */
    List<Boolean> enqueueAll(List<QueueMessage> messages);

    /**
     * Claims up to {@code request.max()} messages, blocking up to {@code request.waitUpTo()} for the first one.
     * A queue is split into shards and a claim takes from one shard at a time, so it may return fewer than
     * {@code max} while more are claimable: claim again. (When several tenants' queues are named, each tenant's
     * weighted share is filled from as many shards as needed.)
     */
    List<Claim> claim(ClaimRequest request) throws InterruptedException;

    /** One message from one queue under its default lease, without waiting. */
    default Optional<Claim> claimOne(QueueId queue) {
        try {
            return claim(ClaimRequest.of(queue)).stream().findFirst();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Completes a delivery; false when the lease token is no longer valid (expired and redelivered, cancelled). */
    boolean ack(QueueId queue, String messageId, String leaseToken);

    default boolean ack(Claim claim) {
        return ack(claim.queueId(), claim.messageId(), claim.leaseToken());
    }

    /** Acks several deliveries at once, grouping them by shard; the count of valid ones. */
    int ackAll(List<Claim> claims);

    /**
     * Gives a delivery back: claimable again after {@code delay} (DELAYED meanwhile), or DEAD once its attempts
     * reach the maximum. False when the lease token is no longer valid.
     */
    boolean nack(Claim claim, Duration delay, String reason);

    /** Moves a delivery straight to the dead letters (a failure that retrying cannot fix). */
    boolean reject(Claim claim, String reason);

    /** Extends a lease to {@code lease} from now; empty when the token is no longer valid. */
    Optional<Claim> extend(Claim claim, Duration lease);

    /** Cancels a message that is not finished yet (a leased one's ack will then fail); false if none such. */
    boolean cancel(QueueId queue, String messageId);

    /** The message with this id, while the queue still holds it (finished ones for the retention window). */
    Optional<MessageInfo> find(QueueId queue, String messageId);

    /** Up to {@code limit} messages of a state, in claim order for PENDING, oldest first otherwise. */
    List<MessageInfo> browse(QueueId queue, MessageState state, int limit);

    /** Depths of one queue. */
    QueueStats stats(QueueId queue);

    /** Every queue known to the cluster (ever enqueued to or configured), sorted. */
    List<QueueId> queues();

    /** Moves up to {@code max} dead letters back to PENDING with their attempts reset; how many moved. */
    int replayDead(QueueId queue, int max);

    /** Drops every unfinished and dead message of the queue (leased ones' acks then fail); how many dropped. */
    long purge(QueueId queue);

    /** Drops every message of every queue of the tenant (the tenant is being deleted); how many were dropped. */
    default long purgeTenant(String tenant) {
        long dropped = 0;
        for (QueueId queue : queues()) {
            if (queue.tenant().equals(tenant)) {
                dropped += purge(queue);
            }
        }
        return dropped;
    }

    /** The queue's settings (the service defaults when never configured). */
    QueueSettings settings(QueueId queue);

    /** Sets a queue's settings for the whole cluster. */
    void configure(QueueId queue, QueueSettings settings);
}
