package io.orrery.engine.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.fault.CrashPoints;
import io.orrery.engine.internal.EngineCrashPoints;
import io.orrery.store.JdbcStore;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For every named crash point of the engine: three nodes run the crash scenario, and the member that reaches the
 * point (the fourth time any does) dies exactly there. The survivors finish every instance, each reaction applied
 * once, with no call id reused.
 */
class MemberCrashPointIT {

    static List<String> points() {
        return EngineCrashPoints.ALL;
    }

    @AfterEach
    void disarm() {
        CrashPoints.reset();
    }

    @ParameterizedTest
    @MethodSource("points")
    void theSurvivorsFinishWhatAMemberLeftAtThePoint(String point) throws Exception {
        List<String> keys = IntStream.range(0, 12).mapToObj(i -> "m" + i).toList();
        try (var store = JdbcStore.open("jdbc:h2:mem:engine-crash-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
             var cluster = new TestCluster(3).start(store, false, TestCluster.options(), CrashScenario.functions())) {
            cluster.deployEverywhere(CrashScenario.TENANT, CrashScenario.module());
            AtomicBoolean fired = new AtomicBoolean();
            CrashPoints.arm(point, CrashScenario.terminateMember(cluster, 4, fired));
            CrashScenario.submit(cluster, keys);
            CrashScenario.awaitInvariants(cluster, keys, Duration.ofSeconds(60));
            assertThat(fired).as("a member died at " + point).isTrue();
        }
    }
}
