package io.orrery.api.queue;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-queue settings. Queues that were never configured use the service's defaults ({@code io.orrery.queue}).
 *
 * @param leaseTime   default lease of a claim that does not name one
 * @param maxAttempts deliveries after which a message that keeps failing (nack or lease expiry) goes DEAD
 * @param retryDelay  delay before an expired lease's message is claimable again (0: at once)
 */
public record QueueSettings(Duration leaseTime, int maxAttempts, Duration retryDelay) {

    public static final QueueSettings DEFAULTS = new QueueSettings(Duration.ofSeconds(30), 5, Duration.ZERO);

    public QueueSettings {
        Objects.requireNonNull(leaseTime, "leaseTime");
        Objects.requireNonNull(retryDelay, "retryDelay");
        if (leaseTime.isNegative() || leaseTime.isZero()) {
            throw new IllegalArgumentException("leaseTime: must be positive");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts: must be at least 1, got " + maxAttempts);
        }
        if (retryDelay.isNegative()) {
            throw new IllegalArgumentException("retryDelay: must not be negative");
        }
    }

    public QueueSettings withLeaseTime(Duration d) {
        return new QueueSettings(d, maxAttempts, retryDelay);
    }

    public QueueSettings withMaxAttempts(int n) {
        return new QueueSettings(leaseTime, n, retryDelay);
    }

    public QueueSettings withRetryDelay(Duration d) {
        return new QueueSettings(leaseTime, maxAttempts, d);
    }
}
