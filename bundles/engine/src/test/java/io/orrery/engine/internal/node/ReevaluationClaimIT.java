package io.orrery.engine.internal.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.orrery.api.engine.DeployReport;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.api.engine.InstanceView;
import io.orrery.api.engine.WorkflowModule;
import io.orrery.api.fault.CrashPoints;
import io.orrery.api.fault.SimulatedCrash;
import io.orrery.engine.internal.EngineCrashPoints;
import io.orrery.engine.internal.ReevaluationClaim;
import io.orrery.engine.internal.hazelcast.ClusterReevaluationClaims;
import io.orrery.store.JdbcStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A new version installed on every node of a three-member cluster re-evaluates the stored instances once, on one
 * node; and when that node dies part way through, a survivor takes the re-evaluation over and every instance meets
 * the new version, its new rule applied once.
 */
class ReevaluationClaimIT {

    private static final int INSTANCES = 240;
    private static final String V1 = """
            workflow('grow') {
                version 1
                rule('one') { match { !state.one }; action { call 'step', [n: 1] }
                              reaction { r -> state.one = true } }
            }
            """;
    private static final String V2 = """
            workflow('grow') {
                version 2
                rule('one') { match { !state.one }; action { call 'step', [n: 1] }
                              reaction { r -> state.one = true } }
                rule('two') { match { state.one && !state.two }; action { call 'step', [n: 2] }
                              reaction { r -> state.two = true; state.r_two = (state.r_two ?: 0) + 1 } }
            }
            """;

    @AfterEach
    void disarm() {
        CrashPoints.reset();
    }

    @Test
    void aVersionInstalledOnEveryNodeIsReevaluatedByOneNode() {
        try (var store = h2(); var cluster = grown(store)) {
            WorkflowModule v2 = TestCluster.compile(V2);
            List<Long> counts = cluster.nodes.stream().map(n -> reevaluated(n.engine().deploy("acme", v2))).toList();

            assertThat(counts).as("instances re-evaluated per node").containsExactly((long) INSTANCES, 0L, 0L);
            awaitEveryInstanceMetV2(cluster);
        }
    }

    @Test
    void aSurvivorFinishesTheReevaluationOfANodeKilledPartWay() throws Exception {
        try (var store = h2(); var cluster = grown(store)) {
            WorkflowModule v2 = TestCluster.compile(V2);
            CountDownLatch paused = new CountDownLatch(1);
            CountDownLatch kill = new CountDownLatch(1);
            AtomicInteger batches = new AtomicInteger();
            // Node 0 re-evaluates three batches, then stops at the fourth until the others have installed v2 too,
            // and dies there; batches racing in after it die with it.
            CrashPoints.arm(EngineCrashPoints.REEVALUATION_BATCH, (point, scope) -> {
                if (cluster.indexOf(scope) != 0 || batches.incrementAndGet() <= 3) {
                    return;
                }
                boolean first = batches.get() == 4;
                if (first) {
                    paused.countDown();
                }
                try {
                    kill.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (first) {
                    cluster.terminate(0);
                }
                throw new SimulatedCrash(point);
            });
            var first = CompletableFuture.supplyAsync(() -> cluster.nodes.get(0).engine().deploy("acme", v2));
            assertThat(paused.await(30, TimeUnit.SECONDS)).as("node 0 is part way").isTrue();

            for (int i = 1; i < 3; i++) {
                assertThat(reevaluated(cluster.nodes.get(i).engine().deploy("acme", v2)))
                        .as("node %d leaves it to node 0, which is at it", i).isZero();
            }
            kill.countDown();
            // Its deploy fails with the crash, or with its member's end, whichever of its threads reports first.
            assertThatThrownBy(first::join).as("node 0 died re-evaluating").isInstanceOf(CompletionException.class);
            CrashPoints.reset();

            awaitEveryInstanceMetV2(cluster);
            var claims = cluster.members.get(1).<String, String>getMap(ClusterReevaluationClaims.MAP);
            String key = ReevaluationClaim.parse(claims.keySet().stream().filter(k -> k.startsWith("acme/grow/2/"))
                    .findFirst().orElseThrow()).key();
            await().atMost(Duration.ofSeconds(30)).until(() -> "done".equals(claims.get(key)));
        }
    }

    private static JdbcStore h2() {
        return JdbcStore.open("jdbc:h2:mem:reevaluation-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    }

    /** Three nodes with v1 and {@value #INSTANCES} instances that have finished under it. */
    private static TestCluster grown(JdbcStore store) {
        var cluster = new TestCluster(3).start(store, false, TestCluster.options(), CrashScenario.functions());
        cluster.deployEverywhere("acme", TestCluster.compile(V1));
        for (int i = 0; i < INSTANCES; i++) {
            cluster.nodes.get(i % 3).engine().submit(InstanceRequest.of("acme", "grow", "k" + i, Map.of()));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> instances(cluster).stream()
                .allMatch(v -> v != null && Boolean.TRUE.equals(v.state().get("one")) && v.pending().isEmpty()));
        return cluster;
    }

    private static void awaitEveryInstanceMetV2(TestCluster cluster) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(instances(cluster))
                .allSatisfy(v -> assertThat(v.state()).as(v.id().toString()).containsEntry("two", true)));
        assertThat(instances(cluster)).as("the new rule applied once on each instance")
                .allSatisfy(v -> assertThat(v.state()).as(v.id().toString()).containsEntry("r_two", 1));
    }

    private static List<InstanceView> instances(TestCluster cluster) {
        var engine = cluster.anyAlive(1).engine();
        return IntStream.range(0, INSTANCES)
                .mapToObj(i -> engine.find(new InstanceId("acme", "grow", "k" + i)).orElse(null)).toList();
    }

    private static long reevaluated(List<DeployReport> reports) {
        return reports.stream().mapToLong(DeployReport::reevaluated).sum();
    }
}
