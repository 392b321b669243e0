package io.orrery.api.queue;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a consumer asks for: up to {@code max} messages from one or several queues (wildcard tenants allowed, see
 * {@link QueueId#anyTenant}), each under a lease of {@code lease} (null: each queue's setting), waiting up to
 * {@code waitUpTo} for work when none is claimable (zero: answer at once). When the queues belong to several
 * tenants, the messages are taken by the tenants' configured weights.
 */
public record ClaimRequest(List<QueueId> queues, int max, Duration lease, Duration waitUpTo) {

    public ClaimRequest {
        queues = List.copyOf(queues);
        if (queues.isEmpty()) {
            throw new IllegalArgumentException("queues: at least one");
        }
        if (max < 1) {
            throw new IllegalArgumentException("max: must be at least 1, got " + max);
        }
        if (lease != null && (lease.isNegative() || lease.isZero())) {
            throw new IllegalArgumentException("lease: must be positive");
        }
        Objects.requireNonNull(waitUpTo, "waitUpTo");
        if (waitUpTo.isNegative()) {
            throw new IllegalArgumentException("waitUpTo: must not be negative");
        }
    }

    /** One message from one queue, the queue's lease, no waiting. */
    public static ClaimRequest of(QueueId queue) {
        return new ClaimRequest(List.of(queue), 1, null, Duration.ZERO);
    }

    public static ClaimRequest of(List<QueueId> queues) {
        return new ClaimRequest(queues, 1, null, Duration.ZERO);
    }

    public ClaimRequest max(int n) {
        return new ClaimRequest(queues, n, lease, waitUpTo);
    }

    public ClaimRequest lease(Duration d) {
        return new ClaimRequest(queues, max, d, waitUpTo);
    }

    /** Block up to this long for the first message to become claimable. */
    public ClaimRequest waitUpTo(Duration d) {
        return new ClaimRequest(queues, max, lease, d);
    }
}
