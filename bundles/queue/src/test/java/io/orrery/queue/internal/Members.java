package io.orrery.queue.internal;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import io.orrery.cluster.ClusterMembers;
import io.orrery.cluster.MemberSettings;
import com.hazelcast.core.HazelcastException;
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
 *
 * <p>A port found free here can be taken before the member binds it (by any process's outgoing connection, which
 * gets its local port from the same ephemeral range, or by a member of another test), and a killed member started
 * again may find its old port taken meanwhile. Such a member is started on a fresh port instead: it joins by
 * contacting the others, and the port is kept for its later restarts.
 */
final class Members {

    private final String clusterName = "orrery-queue-test-" + UUID.randomUUID();
    /** Tries of a member's start on fresh ports when its port was taken (each failed try costs no wait). */
    private static final int BIND_TRIES = 5;

    private final List<Integer> ports = new ArrayList<>();

    Members(int count) {
        for (int i = 0; i < count; i++) {
            ports.add(freePort());
        }
    }

    /** The port member {@code index} starts on (changed when it was found taken). */
    synchronized int port(int index) {
        return ports.get(index);
    }

    HazelcastInstance start(int index) {
        return start(index, c -> { });
    }

    /** Starts a member after {@code adjust} changed its configuration. */
    synchronized HazelcastInstance start(int index, java.util.function.Consumer<Config> adjust) {
        for (int tries = 1; ; tries++) {
            try {
                return startOnItsPort(index, adjust);
            } catch (HazelcastException e) {
                if (!portTaken(e) || tries == BIND_TRIES) {
                    throw e;
                }
                ports.set(index, freePort());
            }
        }
    }

    private HazelcastInstance startOnItsPort(int index, java.util.function.Consumer<Config> adjust) {
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

    /** Whether the start failed only because the member's port was in use (Hazelcast names it so, or the cause). */
    private static boolean portTaken(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException || String.valueOf(t.getMessage()).contains("already in use")) {
                return true;
            }
        }
        return false;
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
