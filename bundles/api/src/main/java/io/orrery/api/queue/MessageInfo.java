package io.orrery.api.queue;

import java.time.Instant;

/**
 * A message as the queue holds it, for inspection ({@code orrery:queue-show}) and idempotency checks. A finished
 * (COMPLETED or CANCELLED) message is only remembered by its id, for the idempotency window: then {@code message}
 * carries the id and defaults, not the original content.
 *
 * @param message     the message as last delivered or enqueued
 * @param state       its state now
 * @param availableAt when it was (or will be) claimable: enqueue time, or the end of its delay
 * @param leaseExpiry when its lease runs out, only while LEASED
 * @param lastError   the reason of the last nack or rejection, if any
 */
public record MessageInfo(QueueMessage message, MessageState state, Instant availableAt, Instant leaseExpiry,
                          String lastError) {
}
