package io.orrery.cluster;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * How a node's Hazelcast member joins its cluster: TCP-IP only, to the listed members, on one port of one
 * interface. The defaults suit one node on one machine and never meet a stray member on Hazelcast's usual 5701.
 *
 * @param clusterName     members only join a cluster of the same name
 * @param port            the member's port; no auto-increment, so a second node on a machine sets its own
 * @param members         {@code host} or {@code host:port} of the members to join (a host alone means this port)
 * @param bindAddress     the interface to listen on ({@code 127.0.0.1} by default); blank listens on all
 * @param backupCount     synchronous backups of every map and queue entry (0 to 6)
 * @param joinWaitSeconds how long a starting member waits for others before forming a cluster alone
 */
public record MemberSettings(String clusterName, int port, List<String> members, String bindAddress,
                             int backupCount, int joinWaitSeconds) {

    public static final String DEFAULT_CLUSTER_NAME = "orrery";
    public static final int DEFAULT_PORT = 5801;
    public static final String DEFAULT_MEMBERS = "127.0.0.1";
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_BACKUP_COUNT = 1;
    public static final int DEFAULT_JOIN_WAIT_SECONDS = 2;

    public MemberSettings {
        if (clusterName == null || clusterName.isBlank()) {
            throw new IllegalArgumentException("clusterName must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535, was " + port);
        }
        members = List.copyOf(Objects.requireNonNull(members, "members"));
        if (members.isEmpty()) {
            throw new IllegalArgumentException("members must name at least one member (this one, for a single node)");
        }
        bindAddress = bindAddress == null ? "" : bindAddress.trim();
        if (backupCount < 0 || backupCount > 6) {
            throw new IllegalArgumentException("backupCount must be 0-6, was " + backupCount);
        }
        if (joinWaitSeconds < 0) {
            throw new IllegalArgumentException("joinWaitSeconds must not be negative, was " + joinWaitSeconds);
        }
    }

    public static MemberSettings defaults() {
        return new MemberSettings(DEFAULT_CLUSTER_NAME, DEFAULT_PORT, parseMembers(DEFAULT_MEMBERS),
                DEFAULT_BIND_ADDRESS, DEFAULT_BACKUP_COUNT, DEFAULT_JOIN_WAIT_SECONDS);
    }

    /** A comma separated list, as in {@code etc/io.orrery.cluster.cfg}: {@code 10.0.0.1:5801, 10.0.0.2:5801}. */
    public static List<String> parseMembers(String commaSeparated) {
        return commaSeparated == null ? List.of() : Arrays.stream(commaSeparated.split(","))
                .map(String::trim)
                .filter(member -> !member.isEmpty())
                .toList();
    }

    public MemberSettings withClusterName(String name) {
        return new MemberSettings(name, port, members, bindAddress, backupCount, joinWaitSeconds);
    }

    public MemberSettings withPort(int newPort) {
        return new MemberSettings(clusterName, newPort, members, bindAddress, backupCount, joinWaitSeconds);
    }

    public MemberSettings withMembers(List<String> newMembers) {
        return new MemberSettings(clusterName, port, newMembers, bindAddress, backupCount, joinWaitSeconds);
    }

    public MemberSettings withBindAddress(String address) {
        return new MemberSettings(clusterName, port, members, address, backupCount, joinWaitSeconds);
    }

    public MemberSettings withBackupCount(int count) {
        return new MemberSettings(clusterName, port, members, bindAddress, count, joinWaitSeconds);
    }

    public MemberSettings withJoinWaitSeconds(int seconds) {
        return new MemberSettings(clusterName, port, members, bindAddress, backupCount, seconds);
    }
}
