package io.orrery.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import io.orrery.api.health.ComponentHealth;
import io.orrery.api.store.Store;
import io.orrery.cluster.testing.LoopbackMembers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
        LoopbackMembers cluster = new LoopbackMembers("orrery-durability", 2);
        members.add(cluster.start(0));
        var h2 = new StoreDurability(members.get(0), store("H2"));
        var postgres = new StoreDurability(members.get(0), store("PostgreSQL"));

        assertThat(h2.check().details()).containsEntry("durable", true);

        members.add(cluster.start(1));
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

    private static Store store(String product) {
        return new Store() {
            @Override public DataSource dataSource() { throw new UnsupportedOperationException(); }
            @Override public String productName() { return product; }
            @Override public void migrate(String subsystem, ClassLoader migrations) { }
        };
    }
}
