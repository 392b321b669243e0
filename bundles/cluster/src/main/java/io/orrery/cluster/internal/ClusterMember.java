package io.orrery.cluster.internal;

import com.hazelcast.core.HazelcastInstance;
import io.orrery.api.health.ComponentHealth;
import io.orrery.api.health.HealthIndicator;
import io.orrery.cluster.ClusterMembers;
import io.orrery.cluster.MemberSettings;
import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's Hazelcast member, configured by {@code etc/io.orrery.cluster.cfg}, registered as a
 * {@link HazelcastInstance} service for the other bundles. Its health indicator is there even when the member
 * could not start, reporting why. A changed configuration restarts the component and so the member.
 */
@Component(service = HealthIndicator.class, immediate = true, configurationPid = ClusterMember.PID)
@Designate(ocd = ClusterMember.Config.class)
public final class ClusterMember implements HealthIndicator {

    public static final String PID = "io.orrery.cluster";

    @ObjectClassDefinition(name = "Orrery cluster member", description = "The node's embedded Hazelcast member.")
    public @interface Config {

        @AttributeDefinition(description = "Members join only a cluster of the same name.")
        String clusterName() default MemberSettings.DEFAULT_CLUSTER_NAME;

        @AttributeDefinition(description = "This member's port (no auto-increment).")
        int port() default MemberSettings.DEFAULT_PORT;

        @AttributeDefinition(description = "Comma separated host or host:port of the members to join by TCP-IP.")
        String members() default MemberSettings.DEFAULT_MEMBERS;

        @AttributeDefinition(description = "The interface to listen on; empty listens on all.")
        String bindAddress() default MemberSettings.DEFAULT_BIND_ADDRESS;

        @AttributeDefinition(description = "Synchronous backups of every map and queue entry (0-6).")
        int backupCount() default MemberSettings.DEFAULT_BACKUP_COUNT;

        @AttributeDefinition(description = "Seconds a starting member waits for others before forming a cluster.")
        int joinWaitSeconds() default MemberSettings.DEFAULT_JOIN_WAIT_SECONDS;
    }

    private static final Logger LOG = LoggerFactory.getLogger(ClusterMember.class);

    private volatile HazelcastInstance instance;
    private volatile MemberHealth health;
    private volatile String failure = "not started";
    private ServiceRegistration<HazelcastInstance> registration;

    @Activate
    void activate(BundleContext context, Config config) {
        try {
            MemberSettings settings = settingsOf(config);
            instance = ClusterMembers.start(settings, ClusterMember.class.getClassLoader());
        } catch (RuntimeException e) {
            failure = "the member did not start: " + e.getMessage();
            LOG.error("The Hazelcast member did not start", e);
            return;
        }
        health = new MemberHealth(instance);
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("cluster.name", config.clusterName());
        registration = context.registerService(HazelcastInstance.class, instance, properties);
    }

    static MemberSettings settingsOf(Config config) {
        return new MemberSettings(config.clusterName(), config.port(), MemberSettings.parseMembers(config.members()),
                config.bindAddress(), config.backupCount(), config.joinWaitSeconds());
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
        failure = "stopped";
        HazelcastInstance stopping = instance;
        health = null;
        instance = null;
        if (stopping != null) {
            stopping.shutdown();
        }
    }

    @Override
    public String component() {
        return MemberHealth.COMPONENT;
    }

    @Override
    public ComponentHealth check() {
        MemberHealth current = health;
        return current == null ? ComponentHealth.down(MemberHealth.COMPONENT, failure) : current.check();
    }
}
