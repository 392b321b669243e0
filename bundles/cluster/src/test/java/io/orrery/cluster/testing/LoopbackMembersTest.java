package io.orrery.cluster.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
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
}
