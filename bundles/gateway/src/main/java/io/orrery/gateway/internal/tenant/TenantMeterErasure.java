package io.orrery.gateway.internal.tenant;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.UUID;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deleted tenant's meters leave every node's registry, so that {@code GET /metrics} does not serve a tenant
 * created later under the same name the old one's workflow, rule, queue and function names and counts. Each node
 * has a registry of its own: the node that deletes the tenant empties its own at once ({@link TenantErasure}) and
 * publishes the name on {@value #TOPIC}; this component, on every node, empties that node's when it hears it.
 *
 * <p>The engine, the queues and the functions make their meters through registries of their own, and drop a
 * tenant's themselves when its end reaches them on each node (its workflows undeployed or its instances deleted,
 * its queues purged, its function hosts stopped and its functions withdrawn), so that a tenant created later under
 * the same name gets meters the node's registry serves: one they kept after it was removed here would go on
 * counting where nothing reads it.
 *
 * <p>Limits. A node that is not in the cluster when the name is published keeps the meters until it restarts.
 */
@Component(immediate = true, service = {})
public class TenantMeterErasure {

    static final String TOPIC = "orrery.gateway.erased-tenant-meters";
    private static final Logger LOG = LoggerFactory.getLogger(TenantMeterErasure.class);

    private final ITopic<String> erased;
    private final UUID listener;

    @Activate
    public TenantMeterErasure(@Reference HazelcastInstance member, @Reference MeterRegistry registry) {
        erased = member.getTopic(TOPIC);
        listener = erased.addMessageListener(message -> {
            String tenant = message.getMessageObject();
            LOG.info("Tenant {} deleted: {} of its meters removed from this node", tenant, remove(registry, tenant));
        });
    }

    @Deactivate
    void deactivate() {
        erased.removeMessageListener(listener);
    }

    /** Tells every node to remove the tenant's meters from its registry. */
    static void announce(HazelcastInstance member, String tenant) {
        member.<String>getTopic(TOPIC).publish(tenant);
    }

    /** Removes the meters labelled {@code tenant="<tenant>"}; how many. */
    static int remove(MeterRegistry registry, String tenant) {
        List<Meter> owned = registry.getMeters().stream().filter(m -> tenant.equals(m.getId().getTag("tenant")))
                .toList();
        owned.forEach(registry::remove);
        return owned.size();
    }
}
