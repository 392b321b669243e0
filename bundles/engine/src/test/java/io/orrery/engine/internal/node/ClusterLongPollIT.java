package io.orrery.engine.internal.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.api.engine.InstanceView;
import io.orrery.engine.internal.hazelcast.TenantInstanceCount;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Two engine nodes: a long-poll waiting on one is answered when the instance settles on the other, and a tenant's
 * instances are counted across both members' partitions.
 */
class ClusterLongPollIT {

    static final String AT_ONCE = """
            workflow('at-once') {
                rule('done') { match { input.go && !state.done };
                               action { state.done = true; complete(output: [seen: input.go]) } }
            }
            """;

    @Test
    void aLongPollOnOneNodeAnswersWhenTheInstanceSettlesOnAnother() {
        try (var cluster = new TestCluster(2).start(null, false, TestCluster.options().withPersistent(false),
                fn -> Optional.empty())) {
            cluster.deployEverywhere("acme", TestCluster.compile(AT_ONCE));
            var a = cluster.nodes.get(0);
            var b = cluster.nodes.get(1);
            var id = new InstanceId("acme", "at-once", "k1");

            CompletableFuture<InstanceView> watched = b.watch().awaitSettled(id, Duration.ofSeconds(60));
            CompletableFuture<InstanceView> localOnly = b.engine().awaitSettled(id, Duration.ofSeconds(60));
            a.engine().submit(InstanceRequest.of("acme", "at-once", "k1", Map.of("go", "yes")));

            await().atMost(Duration.ofSeconds(10)).until(watched::isDone);
            assertThat(watched.join().output()).containsEntry("seen", "yes");
            // B's engine saved nothing: on its own it would have answered only at the timeout.
            assertThat(localOnly).isNotDone();
        }
    }

    @Test
    void aLongPollOnAnInstanceThatNeverSettlesAnswersAtItsTimeoutWithTheCurrentView() {
        try (var cluster = new TestCluster(2).start(null, false, TestCluster.options().withPersistent(false),
                fn -> Optional.empty())) {
            cluster.deployEverywhere("acme", TestCluster.compile(AT_ONCE));
            cluster.nodes.get(0).engine().submit(InstanceRequest.of("acme", "at-once", "idle", Map.of()));
            var view = cluster.nodes.get(1).watch()
                    .awaitSettled(new InstanceId("acme", "at-once", "idle"), Duration.ofMillis(300)).join();
            assertThat(view.output()).isNull();
        }
    }

    @Test
    void aTenantsInstancesAreCountedAcrossMembers() {
        try (var cluster = new TestCluster(2).start(null, false, TestCluster.options().withPersistent(false),
                fn -> Optional.empty())) {
            cluster.deployEverywhere("acme", TestCluster.compile(AT_ONCE));
            cluster.deployEverywhere("acme_2", TestCluster.compile(AT_ONCE));
            cluster.deployEverywhere("acmex2", TestCluster.compile(AT_ONCE));
            cluster.nodes.get(0).engine().submit(InstanceRequest.of("acmex2", "at-once", "k", Map.of()));
            for (int i = 0; i < 40; i++) {
                cluster.nodes.get(i % 2).engine().submit(InstanceRequest.of("acme", "at-once", "k" + i, Map.of()));
            }
            for (int i = 0; i < 7; i++) {
                cluster.nodes.get(i % 2).engine().submit(InstanceRequest.of("acme_2", "at-once", "k" + i, Map.of()));
            }
            var count = new TenantInstanceCount(cluster.nodes.get(1).map().map());
            assertThat(count.count("acme")).isEqualTo(40);
            // "_" is a LIKE wildcard: acme_2's count must not take in a tenant such as "acmex2".
            assertThat(count.count("acme_2")).isEqualTo(7);
            assertThat(count.count("acm")).isZero();
        }
    }
}
