package io.orrery.api.tenant;

/**
 * What one tenant may use, from configuration.
 *
 * @param maxBundleBytes    largest bundle upload accepted, in bytes
 * @param maxInstances      most workflow instances the tenant may hold; a request for a new key beyond it is refused
 * @param requestsPerSecond sustained REST request rate
 * @param burst             requests allowed at once above the sustained rate
 */
public record TenantQuota(long maxBundleBytes, long maxInstances, double requestsPerSecond, int burst) {

    public TenantQuota {
        if (maxBundleBytes < 1 || maxInstances < 1 || !(requestsPerSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("quota: every limit must be positive, got " + maxBundleBytes + ", "
                    + maxInstances + ", " + requestsPerSecond + ", " + burst);
        }
    }
}
