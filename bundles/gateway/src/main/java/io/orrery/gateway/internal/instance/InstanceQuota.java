package io.orrery.gateway.internal.instance;

import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.WorkflowEngine;
import io.orrery.api.tenant.TenantDirectory;
import io.orrery.gateway.internal.http.ApiProblem;

/**
 * The {@code maxInstances} quota, exact across the cluster: a request for a new key takes a place in the tenant's
 * count ({@link InstanceCounts}) before the engine creates the instance, and is refused (429) when none is left; a
 * request the engine then refuses gives its place back. A count the cluster lacks (after a full restart) is
 * recounted from the engine's records.
 */
public final class InstanceQuota {

    private static final long RETRY_AFTER_SECONDS = 60;

    private final WorkflowEngine engine;
    private final TenantDirectory directory;
    private final InstanceCounts counts;

    public InstanceQuota(WorkflowEngine engine, TenantDirectory directory, InstanceCounts counts) {
        this.engine = engine;
        this.directory = directory;
        this.counts = counts;
    }

    /**
     * Takes a place when the request would create an instance (no key, or a key not yet used): true when it did,
     * and then the caller must {@link #release} it if the instance is not created. 429 when over quota.
     */
    boolean reserve(String tenant, String workflow, String key) {
        if (key != null && engine.find(new InstanceId(tenant, workflow, key)).isPresent()) {
            return false;
        }
        long max = directory.quota(tenant).maxInstances();
        InstanceCounts.Reservation reservation = counts.reserve(tenant, max,
                () -> engine.countInstances(tenant, Long.MAX_VALUE));
        if (!reservation.granted()) {
            throw ApiProblem.tooManyRequests(RETRY_AFTER_SECONDS, "tenant " + tenant + " holds "
                    + reservation.held() + " instances, its quota (maxInstances) is " + max);
        }
        return true;
    }

    void release(String tenant) {
        counts.release(tenant);
    }
}
