package io.orrery.gateway.internal.tenant;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.MeterRegistry;
import io.orrery.api.engine.WorkflowEngine;
import io.orrery.api.queue.QueueService;
import io.orrery.api.tenant.BundleDeployer;
import io.orrery.gateway.internal.instance.InstanceCounts;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deleting a tenant removes everything it owns, so that a tenant created later under the same name inherits
 * nothing: first its tokens (nothing new comes in), then its uploaded bundles on every node, its instances, its
 * queued messages, its meters on every node ({@link TenantMeterErasure}), and last its name. A step that fails
 * leaves the name in place (without tokens), so the delete can be run again; a step whose service is missing
 * refuses the delete instead of doing half of it. Its spans stay until they age out, unread: a tenant is served
 * only the spans that started once it existed ({@code TraceRoutes}).
 */
final class TenantErasure {

    private static final Logger LOG = LoggerFactory.getLogger(TenantErasure.class);

    /** What one deletion removed; meters: from this node's registry (the other nodes' are told to). */
    record Erased(int bundles, long instances, long messages, int meters) { }

    private final Supplier<BundleDeployer> deployer;
    private final Supplier<WorkflowEngine> engine;
    private final Supplier<QueueService> queues;
    private final Supplier<HazelcastInstance> member;
    private final Supplier<MeterRegistry> meters;

    /** @param meters the node's registry; null while the node has none (no meters to remove then) */
    TenantErasure(Supplier<BundleDeployer> deployer, Supplier<WorkflowEngine> engine, Supplier<QueueService> queues,
                  Supplier<HazelcastInstance> member, Supplier<MeterRegistry> meters) {
        this.deployer = deployer;
        this.engine = engine;
        this.queues = queues;
        this.member = member;
        this.meters = meters;
    }

    /** Everything but the tenant's row and tokens (the directory's part). */
    Erased erase(String tenant) {
        BundleDeployer bundles = required(deployer, "the bundle deployer (orrery-engine)");
        WorkflowEngine instances = required(engine, "the workflow engine (orrery-engine)");
        QueueService messages = required(queues, "the queue service (orrery-queue)");
        HazelcastInstance grid = required(member, "the Hazelcast member (orrery-cluster)");
        int undeployed = bundles.undeployAll(tenant);
        long removed = instances.deleteTenant(tenant);
        InstanceCounts.on(grid).forget(tenant);
        long dropped = messages.purgeTenant(tenant);
        // Last, once nothing of the tenant's is left to record into them.
        MeterRegistry registry = meters.get();
        int metered = registry == null ? 0 : TenantMeterErasure.remove(registry, tenant);
        TenantMeterErasure.announce(grid, tenant);
        LOG.info("Tenant {} erased: {} bundles undeployed, {} instances and {} queued messages removed, {} meters "
                + "removed from this node (and the other nodes told)", tenant, undeployed, removed, dropped, metered);
        return new Erased(undeployed, removed, dropped, metered);
    }

    private static <T> T required(Supplier<T> service, String name) {
        T current = service.get();
        if (current == null) {
            throw new IllegalStateException("tenant not deleted: " + name + " is not available on this node, and "
                    + "a tenant is deleted with everything it owns or not at all");
        }
        return current;
    }
}
