package io.orrery.gateway.internal.instance;

import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceView;
import io.orrery.api.engine.WorkflowEngine;
import io.orrery.api.tenant.TenantDirectory;
import io.orrery.gateway.internal.http.ApiProblem;
import java.util.function.Supplier;

/**
 * The {@code maxInstances} quota, exact across the cluster: a request for a new key takes a place in the tenant's
 * count ({@link InstanceCounts}) before the engine creates the instance, and is refused (429) when none is left; a
 * request the engine then refuses gives its place back, and concurrent requests for one new key take one place
 * between them. A count the cluster lacks (after a full restart) is recounted from the engine's records.
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
     * Runs {@code submit}, taking a place for it when it would create an instance (no key, or a key not yet used)
     * and giving the place back when the engine refuses the request. 429 when no place is left. Requests for one
     * new key take turns, so that the first creates the instance and the others find it and take no place.
     */
    InstanceView admit(String tenant, String workflow, String key, Supplier<InstanceView> submit) {
        if (key == null) {
            return withPlace(tenant, submit);
        }
        InstanceId id = new InstanceId(tenant, workflow, key);
        if (engine.find(id).isPresent()) {
            return submit.get();
        }
        return counts.exclusively(id, () -> engine.find(id).isPresent() ? submit.get() : withPlace(tenant, submit));
    }

    private InstanceView withPlace(String tenant, Supplier<InstanceView> submit) {
        long max = directory.quota(tenant).maxInstances();
        InstanceCounts.Reservation reservation = counts.reserve(tenant, max,
                () -> engine.countInstances(tenant, Long.MAX_VALUE));
        if (!reservation.granted()) {
            throw ApiProblem.tooManyRequests(RETRY_AFTER_SECONDS, "tenant " + tenant + " holds "
                    + reservation.held() + " instances, its quota (maxInstances) is " + max);
        }
        try {
            return submit.get();
        } catch (RuntimeException e) {
            counts.release(tenant);
            throw e;
        }
    }
}
