package io.orrery.cluster.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import io.orrery.cluster.ClusterMembers;
import io.orrery.cluster.MemberSettings;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The test members themselves: a port taken between choosing it and binding it does not fail the test. */
class LoopbackMembersTest {

    @Test
    void aMemberWhosePortWasTakenStartsOnAnotherAndJoins() throws Exception {
        LoopbackMembers members = new LoopbackMembers("orrery-cluster-test", 2);
        HazelcastInstance a = members.start(0);
        HazelcastInstance b = null;
        int taken = members.port(1);
        try (ServerSocket squatter = new ServerSocket(taken, 50, InetAddress.getByName("127.0.0.1"))) {
            b = members.start(1);
            assertThat(members.port(1)).isNotEqualTo(taken);
            HazelcastInstance second = b;
            await().atMost(30, TimeUnit.SECONDS).until(() -> a.getCluster().getMembers().size() == 2
                    && second.getCluster().getMembers().size() == 2);
        } finally {
            a.getLifecycleService().terminate();
            if (b != null) {
                b.getLifecycleService().terminate();
            }
        }
    }

    @Test
    void theMembersCarryTheClusterNameItReports() {
        LoopbackMembers members = new LoopbackMembers("orrery-cluster-test", 1);
        HazelcastInstance a = members.start(0);
        try {
            assertThat(members.clusterName()).startsWith("orrery-cluster-test-");
            assertThat(a.getConfig().getClusterName()).isEqualTo(members.clusterName());
        } finally {
            a.getLifecycleService().terminate();
        }
    }

    @Test
    void aMemberOfItsOwnConfigurationWhosePortWasTakenStartsOnAnother() throws Exception {
        String cluster = "orrery-cluster-test-" + UUID.randomUUID();
        List<Integer> offered = new ArrayList<>();
        List<ServerSocket> squatters = new ArrayList<>();
        HazelcastInstance member = null;
        try {
            member = LoopbackMembers.onFreePort(port -> {
                offered.add(port);
                if (offered.size() == 1) { // taken between choosing it and binding it
                    squatters.add(listenOn(port));
                }
                return ClusterMembers.start(ownConfig(cluster, port));
            });

            assertThat(offered).hasSize(2).doesNotHaveDuplicates();
            assertThat(member.getCluster().getLocalMember().getAddress().getPort()).isEqualTo(offered.get(1));
            assertThat(member.getLifecycleService().isRunning()).isTrue();
        } finally {
            for (ServerSocket squatter : squatters) {
                squatter.close();
            }
            if (member != null) {
                member.getLifecycleService().terminate();
            }
        }
    }

    @Test
    void aStartThatFailsForAnotherReasonIsNotTriedAgain() {
        AtomicInteger tries = new AtomicInteger();

        assertThatThrownBy(() -> LoopbackMembers.onFreePort(port -> {
            tries.incrementAndGet();
            throw new IllegalStateException("no such cluster");
        })).isInstanceOf(IllegalStateException.class).hasMessage("no such cluster");
        assertThat(tries).hasValue(1);
    }

    private static ServerSocket listenOn(int port) {
        try {
            return new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Config ownConfig(String cluster, int port) {
        return ClusterMembers.config(new MemberSettings(cluster, port, List.of("127.0.0.1:" + port), "127.0.0.1", 0, 0),
                LoopbackMembersTest.class.getClassLoader());
    }
}
