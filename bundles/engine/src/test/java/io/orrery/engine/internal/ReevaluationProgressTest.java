package io.orrery.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orrery.api.engine.DeployReport;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.api.fault.CrashPoints;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A deploy's re-evaluation runs on the node's bounded re-evaluation threads, its progress visible while it runs. */
class ReevaluationProgressTest {

    static final String QUIET = """
            workflow('quiet') {
                version %d
                rule('never') { match { input.never == 'yes' }; action { } }
            }
            """;
    static final int INSTANCES = 600; // three batches of the scan's 256

    @AfterEach
    void disarm() {
        CrashPoints.reset();
    }

    @Test
    void progressIsVisibleWhileARedeployRunsAndEveryDeploySharesTheBoundedThreads() throws Exception {
        var settings = EngineSettings.defaults().withLanes(2);
        try (var engine = new EngineCore(settings, new MemoryInstanceTable(), new MemoryCallPort(Clock.systemUTC()),
                null, Clock.systemUTC())) {
            engine.deploy("t", EngineCoreTest.module(QUIET.formatted(1)));
            for (int i = 0; i < INSTANCES; i++) {
                engine.submit(InstanceRequest.of("t", "quiet", "k" + i, Map.of()));
            }
            Set<String> threads = ConcurrentHashMap.newKeySet();
            AtomicInteger batches = new AtomicInteger();
            CountDownLatch release = new CountDownLatch(1);
            // The first batch goes through; the others wait, so the deploy stays part way until released.
            CrashPoints.arm(EngineCrashPoints.REEVALUATION_BATCH, (point, scope) -> {
                threads.add(Thread.currentThread().getName());
                if (batches.incrementAndGet() > 1) {
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            CompletableFuture<List<DeployReport>> v2 = CompletableFuture.supplyAsync(
                    () -> engine.deploy("t", EngineCoreTest.module(QUIET.formatted(2))));

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(engine.reevaluations())
                    .singleElement().satisfies(r -> {
                        assertThat(r.tenant()).isEqualTo("t");
                        assertThat(r.workflow()).isEqualTo("quiet");
                        assertThat(r.version()).isEqualTo(2);
                        assertThat(r.evaluated()).isEqualTo(256);
                    }));
            var meters = engine.metrics().registry();
            assertThat(meters.get("orrery.engine.reevaluation.running").gauge().value()).isEqualTo(1);
            assertThat(meters.get("orrery.engine.reevaluation.evaluated").gauge().value()).isEqualTo(256);
            assertThat(v2).isNotDone();

            release.countDown();
            assertThat(v2.get(20, TimeUnit.SECONDS).get(0).reevaluated()).isEqualTo(INSTANCES);
            assertThat(engine.reevaluations()).isEmpty();
            assertThat(meters.get("orrery.engine.reevaluation.running").gauge().value()).isZero();

            // A second deploy uses the same threads: never more than the lanes, never a pool of its own.
            assertThat(engine.deploy("t", EngineCoreTest.module(QUIET.formatted(3))).get(0).reevaluated())
                    .isEqualTo(INSTANCES);
            assertThat(batches.get()).isEqualTo(6);
            assertThat(threads).hasSizeBetween(1, 2)
                    .allSatisfy(name -> assertThat(name).startsWith("orrery-engine-reevaluation-"));
        }
    }
}
