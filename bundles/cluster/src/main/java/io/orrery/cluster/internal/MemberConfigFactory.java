package io.orrery.cluster.internal;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
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
        return config;
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
