package io.orrery.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import io.orrery.api.health.ComponentHealth;
import io.orrery.api.store.Store;
import io.orrery.cluster.ClusterMembers;
import io.orrery.cluster.MemberSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The durability report on real members: one member on H2 is durable, a second one on H2 makes it not. */
class StoreDurabilityIT {

    private final List<HazelcastInstance> members = new ArrayList<>();

    @AfterEach
    void stop() {
        members.forEach(m -> m.getLifecycleService().terminate());
    }

    @Test
    void aSecondMemberWithAnEmbeddedStoreMakesTheClusterNotDurable() {
        String name = "orrery-durability-" + UUID.randomUUID();
        int first = freePort();
        int second = freePort();
        List<String> both = List.of("127.0.0.1:" + first, "127.0.0.1:" + second);
        members.add(ClusterMembers.start(settings(name, first, both)));
        var h2 = new StoreDurability(members.get(0), store("H2"));
        var postgres = new StoreDurability(members.get(0), store("PostgreSQL"));

        assertThat(h2.check().details()).containsEntry("durable", true);

        members.add(ClusterMembers.start(settings(name, second, both)));
        await().atMost(Duration.ofSeconds(60)).until(() -> members.get(0).getCluster().getMembers().size() == 2);

        ComponentHealth report = h2.check();
        assertThat(report.isUp()).as("the node still serves").isTrue();
        assertThat(report.details()).containsEntry("durable", false);
        assertThat((String) report.details().get("reason")).contains("2 members", "embedded H2", "postgresql");
        assertThat(postgres.check().details()).containsEntry("durable", true);
    }

    @Test
    void anyNumberOfMembersOnPostgresqlIsDurable() {
        assertThat(StoreDurability.assess(5, "PostgreSQL")).containsEntry("durable", true);
        assertThat(StoreDurability.assess(1, "H2")).containsEntry("durable", true);
        assertThat(StoreDurability.assess(3, "H2")).containsEntry("durable", false);
    }

    private static MemberSettings settings(String name, int port, List<String> members) {
        return MemberSettings.defaults().withClusterName(name).withPort(port).withMembers(members)
                .withJoinWaitSeconds(0);
    }

    private static Store store(String product) {
        return new Store() {
            @Override public DataSource dataSource() { throw new UnsupportedOperationException(); }
            @Override public String productName() { return product; }
            @Override public void migrate(String subsystem, ClassLoader migrations) { }
        };
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
