package io.orrery.cluster.internal;

import com.hazelcast.core.HazelcastInstance;
import io.orrery.api.health.ComponentHealth;
import io.orrery.api.health.HealthIndicator;
import io.orrery.api.store.Store;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Whether the cluster's work survives a restart of every member: {@code /health} and {@code orrery:status} report
 * it as the component {@value #COMPONENT}. Hazelcast keeps nothing across a full restart; the store does. One
 * member with its embedded H2 file restores from that file, and any number of members sharing PostgreSQL restore
 * from it; but several members each with an embedded H2 file of their own each write only what they hold, so
 * after a full restart no single store has everything. That case is reported as not durable, with the reason —
 * UP all the same (the node serves), so a development cluster keeps a healthy status.
 */
@Component(service = HealthIndicator.class, immediate = true)
public final class StoreDurability implements HealthIndicator {

    public static final String COMPONENT = "durability";

    private final HazelcastInstance hazelcast;
    // Optional, so that the cluster's feature stands without the store's; a node without one keeps nothing.
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Store store;

    @Activate
    public StoreDurability(@Reference HazelcastInstance hazelcast) {
        this.hazelcast = hazelcast;
    }

    /** Outside OSGi (tests). */
    public StoreDurability(HazelcastInstance hazelcast, Store store) {
        this.hazelcast = hazelcast;
        this.store = store;
    }

    @Override
    public String component() {
        return COMPONENT;
    }

    @Override
    public ComponentHealth check() {
        int members;
        try {
            members = hazelcast.getCluster().getMembers().size();
        } catch (RuntimeException e) {
            return ComponentHealth.down(COMPONENT, "the Hazelcast member is not running: " + e.getMessage());
        }
        Store current = store;
        if (current == null) {
            return ComponentHealth.up(COMPONENT, Map.of("durable", false, "reason",
                    "no store on this node: a restart of every member loses the cluster's work"));
        }
        return ComponentHealth.up(COMPONENT, assess(members, current.productName()));
    }

    /** The report for a cluster of {@code members} whose store is {@code product} ({@code H2}, {@code PostgreSQL}). */
    static Map<String, Object> assess(int members, String product) {
        boolean embedded = product != null && product.toUpperCase(java.util.Locale.ROOT).startsWith("H2");
        if (!embedded) {
            return Map.of("durable", true, "reason", members + (members == 1 ? " member" : " members")
                    + " on the shared " + product + " store: a restart of every member restores from it");
        }
        if (members == 1) {
            return Map.of("durable", true, "reason", "one member with its embedded H2 store: a restart restores "
                    + "from it; a second member needs a shared PostgreSQL store");
        }
        return Map.of("durable", false, "reason", members + " members, each with an embedded H2 store of its own: "
                + "each writes only the work it holds, so a restart of every member loses or repeats work; set "
                + "url = jdbc:postgresql://... in etc/io.orrery.store.cfg on every member");
    }
}
