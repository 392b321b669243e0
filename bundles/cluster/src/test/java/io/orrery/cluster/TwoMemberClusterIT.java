package io.orrery.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import io.orrery.api.health.ComponentHealth;
import io.orrery.cluster.internal.MemberHealth;
import io.orrery.cluster.testing.LoopbackMembers;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two real members on loopback, configured as nodes configure theirs ({@link LoopbackMembers}), form one cluster and
 * notice a leave.
 */
class TwoMemberClusterIT {

    private HazelcastInstance first;
    private HazelcastInstance second;

    @AfterEach
    void shutDown() {
        for (HazelcastInstance member : new HazelcastInstance[] {first, second}) {
            if (member != null) {
                member.shutdown();
            }
        }
    }

    @Test
    void twoMembersFormOneClusterAndTheSurvivorSeesTheOtherLeave() {
        LoopbackMembers members = new LoopbackMembers("orrery-it", 2);

        first = members.start(0);
        second = members.start(1);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(first.getCluster().getMembers()).hasSize(2);
            assertThat(second.getCluster().getMembers()).hasSize(2);
        });
        first.getMap("greetings").put("hello", "from the first member");
        assertThat(second.<String, String>getMap("greetings").get("hello")).isEqualTo("from the first member");
        ComponentHealth health = new MemberHealth(second).check();
        assertThat(health.isUp()).isTrue();
        assertThat(health.details())
                .containsEntry("clusterName", members.clusterName())
                .containsEntry("memberCount", 2)
                .containsEntry("localAddress", "[127.0.0.1]:" + members.port(1));

        first.shutdown();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(new MemberHealth(second).check().details()).containsEntry("memberCount", 1));
        assertThat(new MemberHealth(first).check().isUp()).isFalse();
        assertThat(second.<String, String>getMap("greetings").get("hello")).isEqualTo("from the first member");
    }
}
