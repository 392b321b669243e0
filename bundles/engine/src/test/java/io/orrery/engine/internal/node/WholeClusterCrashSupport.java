package io.orrery.engine.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.fault.CrashPoints;
import io.orrery.engine.internal.EngineCrashPoints;
import io.orrery.store.JdbcStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For every named crash point of the engine: the whole cluster is killed the moment a member reaches it (the
 * journals write nothing more), a new cluster starts on the same store, the clients send their requests again, and
 * every instance completes with each reaction applied once and no call id reused.
 */
abstract class WholeClusterCrashSupport {

    /** Opens the store; each call must reach the same database. */
    abstract JdbcStore openStore(String point);

    static List<String> points() {
        return EngineCrashPoints.ALL;
    }

    @AfterEach
    void disarm() {
        CrashPoints.reset();
    }

    @ParameterizedTest
    @MethodSource("points")
    void aClusterKilledAtThePointComesBackFromTheStoreAndFinishes(String point) throws Exception {
        List<String> keys = IntStream.range(0, 12).mapToObj(i -> "w" + i).toList();
        var ledger = new CallLedger();
        AtomicBoolean fired = new AtomicBoolean();
        try (JdbcStore store = openStore(point)) {
            try (var first = new TestCluster(2, ledger).start(store, false, TestCluster.options(),
                    CrashScenario.functions())) {
                first.deployEverywhere(CrashScenario.TENANT, CrashScenario.module());
                CrashPoints.arm(point, CrashScenario.killCluster(first, 4, fired));
                CrashScenario.submit(first, keys);
                org.awaitility.Awaitility.await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(30)).untilTrue(fired);
            }
            CrashPoints.reset();
            try (var second = new TestCluster(2, ledger).start(store, false, TestCluster.options(),
                    CrashScenario.functions())) {
                second.deployEverywhere(CrashScenario.TENANT, CrashScenario.module());
                CrashScenario.submit(second, keys);
                CrashScenario.awaitInvariants(second, keys, Duration.ofSeconds(60));
            }
        }
        assertThat(fired).isTrue();
    }
}
