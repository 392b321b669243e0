package io.orrery.gateway.internal.instance;

import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.WorkflowEngine;
import io.orrery.api.tenant.TenantDirectory;
import io.orrery.gateway.internal.http.ApiProblem;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * The {@code maxInstances} quota: a request for a new key is refused (429) once the tenant holds that many
 * instances. The engine counts them across the cluster from the records themselves (so the count survives crashes
 * and restores), at most once a second per tenant per node; in between, the instances this node creates are added.
 * Several nodes creating at once can overshoot by what they create within that second.
 */
public final class InstanceQuota {

    private static final long REFRESH_NANOS = 1_000_000_000L;
    private static final String RETRY_AFTER_SECONDS = "60";

    private record Count(long instances, long countedAt) { }

    private final WorkflowEngine engine;
    private final TenantDirectory directory;
    private final LongSupplier nanoTime;
    private final ConcurrentMap<String, Count> counts = new ConcurrentHashMap<>();

    public InstanceQuota(WorkflowEngine engine, TenantDirectory directory, LongSupplier nanoTime) {
        this.engine = engine;
        this.directory = directory;
        this.nanoTime = nanoTime;
    }

    /** True when the request would create an instance (no key, or a key not yet used); 429 when over quota. */
    boolean checkRoomFor(String tenant, String workflow, String key) {
        if (key != null && engine.find(new InstanceId(tenant, workflow, key)).isPresent()) {
            return false;
        }
        long max = directory.quota(tenant).maxInstances();
        long held = count(tenant, max);
        if (held >= max) {
            throw ApiProblem.tooManyRequests(Long.parseLong(RETRY_AFTER_SECONDS), "tenant " + tenant + " holds "
                    + held + " instances, its quota (maxInstances) is " + max);
        }
        return true;
    }

    void created(String tenant) {
        counts.computeIfPresent(tenant, (t, c) -> new Count(c.instances() + 1, c.countedAt()));
    }

    private long count(String tenant, long max) {
        long now = nanoTime.getAsLong();
        Count cached = counts.get(tenant);
        if (cached != null && now - cached.countedAt() < REFRESH_NANOS) {
            return cached.instances();
        }
        long total = engine.countInstances(tenant, max + 1);
        counts.put(tenant, new Count(total, now));
        return total;
    }
}
