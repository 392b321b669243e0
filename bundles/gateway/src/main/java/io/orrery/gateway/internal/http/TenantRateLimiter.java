package io.orrery.gateway.internal.http;

import io.orrery.api.tenant.TenantQuota;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per tenant, sized by its quota ({@code requestsPerSecond}, {@code burst}). Per node: with N
 * nodes behind a balancer a tenant gets up to N times its rate, which keeps the check free of cluster calls.
 */
public final class TenantRateLimiter {

    private final ConcurrentMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    public TenantRateLimiter(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Takes one request from the tenant's bucket; 429 with {@code Retry-After} (whole seconds, at least 1) when empty. */
    public void acquire(String tenant, TenantQuota quota) {
        long now = nanoTime.getAsLong();
        TokenBucket bucket = buckets.compute(tenant, (t, b) ->
                b != null && b.sameLimits(quota.requestsPerSecond(), quota.burst()) ? b
                        : new TokenBucket(quota.requestsPerSecond(), quota.burst(), now));
        long waitNanos = bucket.take(now);
        if (waitNanos > 0) {
            long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
            throw ApiProblem.tooManyRequests(seconds, "tenant " + tenant + " is over its rate of "
                    + quota.requestsPerSecond() + " requests per second (burst " + quota.burst() + ")");
        }
    }
}
