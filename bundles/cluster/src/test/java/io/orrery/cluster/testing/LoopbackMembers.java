package io.orrery.cluster.testing;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstance;
import io.orrery.cluster.ClusterMembers;
import io.orrery.cluster.MemberSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Real Hazelcast members for tests, with the product's member configuration: loopback only, TCP-IP join among the
 * cluster's ports, multicast off, a cluster name of their own, failure detection and partitioning shrunk for test
 * speed. Member {@code i} is named {@code <cluster name>-i}, the scope crash points are reached in.
 *
 * <p>A port found free here can be taken before the member binds it (by any process's outgoing connection, which
 * gets its local port from the same ephemeral range, by a member of another test, or by this cluster's own other
 * member when the system handed out one port twice), and a killed member started again may find its old port taken
 * meanwhile. Such a member is started on a fresh port instead: it joins by contacting the others, and the port is
 * kept for its later restarts.
 *
 * <p>A test that starts one member of a configuration of its own, or another loopback server, gets the same retry
 * from {@link #onFreePort}.
 *
 * <p>Other modules use it by depending on orrery-cluster with {@code <type>test-jar</type>} and test scope.
 */
public final class LoopbackMembers {

    /** Tries of a member's start on fresh ports when its port was taken (each failed try costs no wait). */
    private static final int BIND_TRIES = 5;

    private final String clusterName;
    private final List<Integer> ports = new ArrayList<>();
    private Consumer<Config> tuning = c -> { };

    /** {@code count} members of a new cluster whose name starts with {@code prefix}; none started yet. */
    public LoopbackMembers(String prefix, int count) {
        this.clusterName = prefix + "-" + UUID.randomUUID();
        for (int i = 0; i < count; i++) {
            ports.add(freePort());
        }
    }

    /** Has every member start after {@code change} adjusted its configuration (after the test-speed settings). */
    public LoopbackMembers tunedWith(Consumer<Config> change) {
        this.tuning = change;
        return this;
    }

    /** The name the members' cluster carries: the prefix given, then a random part. */
    public String clusterName() {
        return clusterName;
    }

    public int size() {
        return ports.size();
    }

    /** The port member {@code index} starts on (changed when it was found taken). */
    public synchronized int port(int index) {
        return ports.get(index);
    }

    public HazelcastInstance start(int index) {
        return start(index, c -> { });
    }

    /** Starts member {@code index} after the cluster's tuning and then {@code adjust} changed its configuration. */
    public synchronized HazelcastInstance start(int index, Consumer<Config> adjust) {
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

    private HazelcastInstance startOnItsPort(int index, Consumer<Config> adjust) {
        MemberSettings settings = new MemberSettings(clusterName, ports.get(index),
                ports.stream().map(p -> "127.0.0.1:" + p).toList(), "127.0.0.1", 1, 0);
        Config c = ClusterMembers.config(settings, LoopbackMembers.class.getClassLoader());
        c.setInstanceName(clusterName + "-" + index);
        c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        c.setProperty("hazelcast.max.no.heartbeat.seconds", "6");
        c.setProperty("hazelcast.partition.count", "71");
        tuning.accept(c);
        adjust.accept(c);
        return ClusterMembers.start(c); // as the product starts its member
    }

    /**
     * Starts something on a port free at the time of asking, and again on a fresh port as long as the start fails
     * because that port was taken meanwhile; any other failure is thrown at once. For a member or server that a
     * test configures itself: {@code onFreePort(port -> Hazelcast.newHazelcastInstance(config(port)))}.
     */
    public static <T> T onFreePort(IntFunction<T> startOnPort) {
        for (int tries = 1; ; tries++) {
            try {
                return startOnPort.apply(freePort());
            } catch (RuntimeException e) {
                if (!portTaken(e) || tries == BIND_TRIES) {
                    throw e;
                }
            }
        }
    }

    /** Whether the start failed only because the member's port was in use (Hazelcast names it so, or the cause). */
    private static boolean portTaken(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException || String.valueOf(t.getMessage()).contains("already in use")) {
                return true;
            }
        }
        return false;
    }

    /** A port free at the time of asking, for a member or any other loopback server of a test. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
