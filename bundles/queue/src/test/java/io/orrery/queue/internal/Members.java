package io.orrery.queue.internal;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import io.orrery.cluster.ClusterMembers;
import io.orrery.cluster.MemberSettings;
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
        return start(index, c -> { });
    }

    /** Starts a member after {@code adjust} changed its configuration. */
    HazelcastInstance start(int index, java.util.function.Consumer<Config> adjust) {
        MemberSettings settings = new MemberSettings(clusterName, ports.get(index),
                ports.stream().map(p -> "127.0.0.1:" + p).toList(), "127.0.0.1", 1, 0);
        // The product's member configuration, with failure detection and partitioning shrunk for test speed.
        Config c = ClusterMembers.config(settings, getClass().getClassLoader());
        c.setInstanceName(clusterName + "-" + index);
        c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        c.setProperty("hazelcast.max.no.heartbeat.seconds", "6");
        c.setProperty("hazelcast.partition.count", "71");
        // a backup that never answers (its member died applying it) holds a call this long, not 5 s
        c.setProperty("hazelcast.operation.backup.timeout.millis", "1000");
        adjust.accept(c);
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
