package io.orrery.cluster.internal;

import com.hazelcast.core.HazelcastInstance;
import io.orrery.api.health.ComponentHealth;
import io.orrery.api.health.HealthIndicator;
import java.util.Map;

/** The member's health: UP while it runs, with the cluster's name and size as this member sees them. */
public final class MemberHealth implements HealthIndicator {

    public static final String COMPONENT = "hazelcast";

    private final HazelcastInstance instance;

    public MemberHealth(HazelcastInstance instance) {
        this.instance = instance;
    }

    @Override
    public String component() {
        return COMPONENT;
    }

    @Override
    public ComponentHealth check() {
        if (!instance.getLifecycleService().isRunning()) {
            return ComponentHealth.down(COMPONENT, "the Hazelcast member is not running");
        }
        try {
            return ComponentHealth.up(COMPONENT, Map.of(
                    "clusterName", instance.getConfig().getClusterName(),
                    "memberCount", instance.getCluster().getMembers().size(),
                    "localAddress", instance.getCluster().getLocalMember().getAddress().toString()));
        } catch (RuntimeException e) {
            // The member stopped between the two calls.
            return ComponentHealth.down(COMPONENT, e.toString());
        }
    }
}
