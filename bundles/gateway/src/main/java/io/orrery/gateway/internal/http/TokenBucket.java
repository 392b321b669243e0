package io.orrery.gateway.internal.http;

/**
 * A token bucket: holds up to {@code burst} tokens, refills at {@code perSecond}; a request takes one. Times are
 * {@link System#nanoTime()} readings passed in, so tests drive the clock.
 */
final class TokenBucket {

    private static final double NANOS_PER_SECOND = 1e9;

    private final double perSecond;
    private final int burst;
    private double tokens;
    private long refilledAt;

    TokenBucket(double perSecond, int burst, long now) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.tokens = burst;
        this.refilledAt = now;
    }

    /** Takes a token: 0 when there was one, otherwise the nanoseconds until there will be. */
    synchronized long take(long now) {
        if (now > refilledAt) {
            tokens = Math.min(burst, tokens + (now - refilledAt) / NANOS_PER_SECOND * perSecond);
            refilledAt = now;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) / perSecond * NANOS_PER_SECOND);
    }

    boolean sameLimits(double rate, int size) {
        return perSecond == rate && burst == size;
    }
}
