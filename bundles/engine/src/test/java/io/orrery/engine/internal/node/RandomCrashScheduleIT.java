package io.orrery.engine.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.fault.CrashPoints;
import io.orrery.engine.internal.EngineCrashPoints;
import io.orrery.store.JdbcStore;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Seeded random crash schedules on one three-node cluster: each schedule sends a few new instances and arms a crash
 * point drawn from the seed, to stop the engine of the node that reaches it the n-th time (n drawn too) and start it
 * again, as a process restart would; then checks the invariants. A failure names its schedule's seed; run it again
 * with {@code -Dorrery.crash.seed=<seed> -Dorrery.crash.schedules=1}.
 */
class RandomCrashScheduleIT {

    static final int SCHEDULES = Integer.getInteger("orrery.crash.schedules", 110);
    static final long FIRST_SEED = Long.getLong("orrery.crash.seed", System.nanoTime());

    @AfterEach
    void disarm() {
        CrashPoints.reset();
    }

    @Test
    void everyScheduleKeepsTheInvariants() throws Exception {
        int fired = 0;
        try (var store = JdbcStore.open("jdbc:h2:mem:engine-random-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
             var cluster = new TestCluster(3).start(store, false, TestCluster.options(), CrashScenario.functions())) {
            cluster.deployEverywhere(CrashScenario.TENANT, CrashScenario.module());
            for (int s = 0; s < SCHEDULES; s++) {
                long seed = FIRST_SEED + s;
                try {
                    fired += run(cluster, s, seed) ? 1 : 0;
                } catch (Throwable e) { // a SimulatedCrash reaching the test thread too: name the schedule
                    CrashPoints.reset();
                    throw new AssertionError("schedule " + s + " failed; rerun it with -Dorrery.crash.seed=" + seed
                            + " -Dorrery.crash.schedules=1", e);
                }
            }
        }
        System.out.printf("%d random crash schedules from seed %d, %d crashed%n", SCHEDULES, FIRST_SEED, fired);
        assertThat(fired).as("schedules whose crash point was reached").isGreaterThan(SCHEDULES / 2);
    }

    private static boolean run(TestCluster cluster, int schedule, long seed) throws InterruptedException {
        Random random = new Random(seed);
        String point = EngineCrashPoints.ALL.get(random.nextInt(EngineCrashPoints.ALL.size()));
        int hit = 1 + random.nextInt(6);
        int instances = 2 + random.nextInt(5);
        List<String> keys = IntStream.range(0, instances).mapToObj(i -> "s" + schedule + "-" + i).toList();
        AtomicBoolean fired = new AtomicBoolean();
        var restarts = new java.util.concurrent.CopyOnWriteArrayList<Thread>();
        CrashPoints.arm(point, CrashScenario.restartEngine(cluster, hit, fired, restarts::add));
        try {
            CrashScenario.submit(cluster, keys);
            CrashScenario.awaitInvariants(cluster, keys, Duration.ofSeconds(60));
        } finally {
            CrashPoints.reset();
            for (Thread t : restarts) {
                t.join();
            }
        }
        return fired.get();
    }
}
