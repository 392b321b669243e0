package io.orrery.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.orrery.cluster.internal.CompletionThreads;
import io.orrery.cluster.internal.MemberConfigFactory;

/**
 * Starts Hazelcast members exactly as an Orrery node configures its own, e.g. in tests:
 * {@code ClusterMembers.start(MemberSettings.defaults().withClusterName(unique).withPort(free).withJoinWaitSeconds(0))}.
 * The caller shuts the member down.
 */
public final class ClusterMembers {

    /**
     * The split-brain protection every member carries when more than one member is configured: a majority of the
     * configured members. Maps name it in their configuration to stop serving on a minority side.
     */
    public static final String MAJORITY = "orrery-majority";

    private ClusterMembers() {
    }

    /** The member's configuration, for callers that add map or queue settings before starting it. */
    public static Config config(MemberSettings settings, ClassLoader classLoader) {
        return MemberConfigFactory.create(settings, classLoader);
    }

    public static HazelcastInstance start(MemberSettings settings) {
        return start(config(settings, ClusterMembers.class.getClassLoader()));
    }

    /**
     * Starts a member with the given class loader, which deserializes what the member holds (in OSGi, a bundle's).
     */
    public static HazelcastInstance start(MemberSettings settings, ClassLoader classLoader) {
        return start(config(settings, classLoader));
    }

    public static HazelcastInstance start(Config config) {
        CompletionThreads.ensureBounded();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // Some of Hazelcast's lookups go through the context class loader: make it the member's own.
        thread.setContextClassLoader(config.getClassLoader() != null ? config.getClassLoader() : previous);
        try {
            return Hazelcast.newHazelcastInstance(config);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
