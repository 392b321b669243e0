package io.orrery.api.queue;

/** Where a message is in its life. COMPLETED and CANCELLED are final; DEAD can be replayed. */
public enum MessageState {
    /** Claimable now. */
    PENDING,
    /** Waiting for its not-before time (a delayed enqueue or a nack with delay). */
    DELAYED,
    /** Claimed by a consumer, under a lease that has not expired. */
    LEASED,
    /** Acknowledged by its consumer. */
    COMPLETED,
    /** Cancelled before it completed. */
    CANCELLED,
    /** Moved to the queue's dead letters after too many attempts, or rejected for good. */
    DEAD;

    public boolean isFinal() {
        return this == COMPLETED || this == CANCELLED;
    }
}
