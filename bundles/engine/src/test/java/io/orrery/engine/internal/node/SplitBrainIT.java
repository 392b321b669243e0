package io.orrery.engine.internal.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.store.JdbcStore;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Three configured members; two are lost (as a network split would cut them off): the one left is a minority and
 * its engine stops taking work instead of saving instances the majority side may be changing too.
 */
class SplitBrainIT {

    @Test
    void aMinoritySideRefusesInstanceWork() {
        try (var store = JdbcStore.open("jdbc:h2:mem:engine-split-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
             var cluster = new TestCluster(3).start(store, false, TestCluster.options(),
                     fn -> Optional.of(TestCluster.function(fn, args -> Map.of("n", args.get("n")))))) {
            cluster.deployEverywhere("acme", TestCluster.compile(MemberLossIT.STEPS));
            var engine = cluster.nodes.get(0).engine();
            engine.submit(InstanceRequest.of("acme", "steps", "before", Map.of()));

            cluster.terminate(1);
            assertThat(engine.find(new InstanceId("acme", "steps", "before"))).isPresent(); // two of three: a majority
            cluster.terminate(2);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThatThrownBy(() -> engine.submit(InstanceRequest.of("acme", "steps", "after", Map.of())))
                            .satisfies(SplitBrainIT::causedBySplitBrain));
            assertThatThrownBy(() -> engine.find(new InstanceId("acme", "steps", "before")))
                    .satisfies(SplitBrainIT::causedBySplitBrain);
        }
    }

    static void causedBySplitBrain(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SplitBrainProtectionException) {
                return;
            }
        }
        throw new AssertionError("not refused for want of a majority", e);
    }
}
