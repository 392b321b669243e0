package io.orrery.itests;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for the nodes the integration tests launch: free now, never handed out twice in this JVM, and below the
 * kernel's ephemeral range ({@code /proc/sys/net/ipv4/ip_local_port_range}, 32768–60999 by default).
 *
 * <p>Why below it: a port from {@code bind(0)} is an ephemeral one, and a node takes it only seconds later, after
 * its broker and grid are up, while every outbound connection on the machine (the node's own Kafka and Hazelcast
 * clients among them) is given a local port from the same range. One such connection on the chosen port left a
 * node without its REST API ("Failed to bind to /0.0.0.0:36149"). Below the range only a process that binds that very
 * port can take it, and these tests choose randomly among twenty thousand.
 */
final class FreePorts {

    static final int LOWEST = 10_000;
    private static final Path RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /** A free port outside the ephemeral range, not handed out before by this JVM. */
    static int next() {
        int[] ephemeral = ephemeralRange();
        // below the range when there is room (the usual case), else above it
        int from = ephemeral[0] - LOWEST >= 1000 ? LOWEST : ephemeral[1] + 1;
        int to = ephemeral[0] - LOWEST >= 1000 ? ephemeral[0] : 65536;
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(from, to);
            if (bindable(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port in [" + from + ", " + to + ") after 200 tries");
    }

    /** The kernel's ephemeral range, {low, high}; Linux's default where the file cannot be read. */
    static int[] ephemeralRange() {
        try {
            String[] parts = Files.readString(RANGE, StandardCharsets.US_ASCII).trim().split("\\s+");
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (IOException | RuntimeException e) {
            return new int[] {32768, 60999};
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return socket.getLocalPort() == port;
        } catch (IOException e) {
            return false;
        }
    }

    /** For tests: whether a port is in the ephemeral range. */
    static boolean ephemeral(int port) {
        int[] range = ephemeralRange();
        return port >= range[0] && port <= range[1];
    }
}
