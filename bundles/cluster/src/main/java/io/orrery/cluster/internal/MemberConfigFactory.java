package io.orrery.cluster.internal;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import io.orrery.cluster.ClusterMembers;
import io.orrery.cluster.MemberSettings;

/** Maps {@link MemberSettings} to Hazelcast's {@link Config}. */
public final class MemberConfigFactory {

    private MemberConfigFactory() {
    }

    public static Config create(MemberSettings settings, ClassLoader classLoader) {
        Config config = new Config();
        config.setClusterName(settings.clusterName());
        config.setInstanceName(settings.clusterName() + "-" + settings.port());
        config.setClassLoader(classLoader);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.wait.seconds.before.join", String.valueOf(settings.joinWaitSeconds()));
        network(config.getNetworkConfig(), settings);
        if (!settings.bindAddress().isEmpty()) {
            // Otherwise Hazelcast listens on every interface and only advertises the chosen one.
            config.setProperty("hazelcast.socket.bind.any", "false");
        }
        // The "default" configurations apply to every map and queue not configured otherwise.
        config.getMapConfig("default").setBackupCount(settings.backupCount());
        config.getQueueConfig("default").setBackupCount(settings.backupCount());
        splitBrainProtection(config, settings);
        return config;
    }

    /**
     * {@value ClusterMembers#MAJORITY}: a majority of the configured members. Maps that name it (the engine's
     * instances, the queues) refuse operations on a side of a split that holds fewer, so a minority stops taking
     * work instead of racing the majority. A cluster of one configured member has no protection to keep.
     */
    private static void splitBrainProtection(Config config, MemberSettings settings) {
        int majority = settings.members().size() / 2 + 1;
        if (majority >= 2) {
            config.addSplitBrainProtectionConfig(new SplitBrainProtectionConfig(ClusterMembers.MAJORITY, true,
                    majority));
        }
    }

    private static void network(NetworkConfig network, MemberSettings settings) {
        network.setPort(settings.port()).setPortAutoIncrement(false);
        if (!settings.bindAddress().isEmpty()) {
            network.getInterfaces().setEnabled(true).addInterface(settings.bindAddress());
        }
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(settings.members());
    }
}
