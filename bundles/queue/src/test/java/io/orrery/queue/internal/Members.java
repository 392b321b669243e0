package io.orrery.queue.internal;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Real Hazelcast members for tests: loopback only, TCP-IP join among the given ports, multicast off, a cluster
 * name of their own, quick failure detection.
 */
final class Members {

    private final String clusterName = "orrery-queue-test-" + UUID.randomUUID();
    private final List<Integer> ports = new ArrayList<>();

    Members(int count) {
        for (int i = 0; i < count; i++) {
            ports.add(freePort());
        }
    }

    HazelcastInstance start(int index) {
        Config c = new Config();
        c.setClusterName(clusterName);
        c.setInstanceName(clusterName + "-" + index);
        c.setProperty("hazelcast.wait.seconds.before.join", "0");
        c.setProperty("hazelcast.logging.type", "slf4j");
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        c.setProperty("hazelcast.max.no.heartbeat.seconds", "6");
        c.setProperty("hazelcast.partition.count", "71");
        NetworkConfig n = c.getNetworkConfig();
        n.setPort(ports.get(index)).setPortAutoIncrement(false);
        n.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig j = n.getJoin();
        j.getMulticastConfig().setEnabled(false);
        j.getAutoDetectionConfig().setEnabled(false);
        j.getTcpIpConfig().setEnabled(true);
        ports.forEach(p -> j.getTcpIpConfig().addMember("127.0.0.1:" + p));
        c.getMapConfig("default").setBackupCount(1);
        return Hazelcast.newHazelcastInstance(c);
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
