package io.orrery.gateway.internal.http;

import io.orrery.api.tenant.TenantQuota;

/**
 * One token bucket per tenant, sized by its quota ({@code requestsPerSecond}, {@code burst}), shared by every
 * gateway of the cluster ({@link ClusterBuckets}).
 */
public final class TenantRateLimiter {

    private final ClusterBuckets buckets;

    public TenantRateLimiter(ClusterBuckets buckets) {
        this.buckets = buckets;
    }

    /** The buckets this limiter takes from, for other cluster-wide limits. */
    public ClusterBuckets buckets() {
        return buckets;
    }

    /**
     * Takes one request from the administrators' own bucket, sized by the default quota: an administrator token is
     * not a way around the rate. (Tenant names cannot contain ':', so the key is no tenant's.)
     */
    public void acquireAdmin(TenantQuota quota) {
        String key = "admin-requests::" + quota.requestsPerSecond() + ":" + quota.burst();
        long waitNanos = buckets.take(key, quota.requestsPerSecond(), quota.burst());
        if (waitNanos > 0) {
            throw ApiProblem.tooManyRequests(BearerAuthentication.seconds(waitNanos), "administrator tokens are over "
                    + "their rate of " + quota.requestsPerSecond() + " requests per second (burst " + quota.burst() + ")");
        }
    }

    /** Takes one request from the tenant's bucket; 429 with {@code Retry-After} (whole seconds, at least 1) when empty. */
    public void acquire(String tenant, TenantQuota quota) {
        // The limits are in the key: a changed quota starts a bucket of its own, the old one expires.
        String key = "tenant-requests:" + tenant + ":" + quota.requestsPerSecond() + ":" + quota.burst();
        long waitNanos = buckets.take(key, quota.requestsPerSecond(), quota.burst());
        if (waitNanos > 0) {
            long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
            throw ApiProblem.tooManyRequests(seconds, "tenant " + tenant + " is over its rate of "
                    + quota.requestsPerSecond() + " requests per second (burst " + quota.burst() + ")");
        }
    }
}
