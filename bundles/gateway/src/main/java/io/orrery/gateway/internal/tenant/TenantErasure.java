package io.orrery.gateway.internal.tenant;

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
 * queued messages, and last its name. A step that fails leaves the name in place (without tokens), so the delete
 * can be run again; a step whose service is missing refuses the delete instead of doing half of it.
 */
final class TenantErasure {

    private static final Logger LOG = LoggerFactory.getLogger(TenantErasure.class);

    /** What one deletion removed. */
    record Erased(int bundles, long instances, long messages) { }

    private final Supplier<BundleDeployer> deployer;
    private final Supplier<WorkflowEngine> engine;
    private final Supplier<QueueService> queues;
    private final Supplier<InstanceCounts> counts;

    TenantErasure(Supplier<BundleDeployer> deployer, Supplier<WorkflowEngine> engine, Supplier<QueueService> queues,
                  Supplier<InstanceCounts> counts) {
        this.deployer = deployer;
        this.engine = engine;
        this.queues = queues;
        this.counts = counts;
    }

    /** Everything but the tenant's row and tokens (the directory's part). */
    Erased erase(String tenant) {
        BundleDeployer bundles = required(deployer, "the bundle deployer (orrery-engine)");
        WorkflowEngine instances = required(engine, "the workflow engine (orrery-engine)");
        QueueService messages = required(queues, "the queue service (orrery-queue)");
        InstanceCounts held = required(counts, "the Hazelcast member (orrery-cluster)");
        int undeployed = bundles.undeployAll(tenant);
        long removed = instances.deleteTenant(tenant);
        held.forget(tenant);
        long dropped = messages.purgeTenant(tenant);
        LOG.info("Tenant {} erased: {} bundles undeployed, {} instances and {} queued messages removed", tenant,
                undeployed, removed, dropped);
        return new Erased(undeployed, removed, dropped);
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
