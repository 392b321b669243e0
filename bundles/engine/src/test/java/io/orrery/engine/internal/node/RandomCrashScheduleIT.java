package io.orrery.engine.internal.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orrery.api.engine.InstanceId;
import io.orrery.api.fault.CrashPoints;
import io.orrery.engine.internal.EngineCrashPoints;
import io.orrery.store.JdbcStore;
import io.orrery.store.testing.PostgresServer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seeded random crash schedules on one three-node cluster over a real PostgreSQL: each schedule sends a few new
 * instances and arms a crash point drawn from the seed, reached the n-th time (n drawn too), with a crash drawn from
 * the seed as well: the engine of the node that reaches it stops there and starts again (a process restart, the
 * cheap case); the member that reaches it is halted exactly there, the survivors finish, and it is started again (one
 * schedule in {@value #MEMBER_HALT_ONE_IN});
 * or, for one seed in {@value #CLUSTER_KILL_ONE_IN}, the whole cluster is killed there and a new one starts from
 * PostgreSQL, to which the clients send their requests again. Then the invariants of {@link CrashScenario}. A
 * failure names its schedule's seed; run it again with {@code -Dorrery.crash.seed=<seed> -Dorrery.crash.schedules=1}.
 */
class RandomCrashScheduleIT {

    static final int SCHEDULES = Integer.getInteger("orrery.crash.schedules", 90);
    static final long FIRST_SEED = Long.getLong("orrery.crash.seed", System.nanoTime());
    /** A cluster restart costs seconds, so the seeds that divide by this (one in as many) take it. */
    static final int CLUSTER_KILL_ONE_IN = 20;
    /** A member's halt costs its restart and the partitions' migrations back to it: one schedule in as many. */
    static final int MEMBER_HALT_ONE_IN = 6;

    /** What happens at the armed point. */
    enum Crash { ENGINE_RESTARTED, MEMBER_HALTED, CLUSTER_KILLED }

    private static PostgresServer postgres;
    private final CallLedger ledger = new CallLedger();
    private final Map<Crash, Integer> fired = new EnumMap<>(Crash.class);
    private TestCluster cluster;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @AfterEach
    void disarm() {
        CrashPoints.reset();
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyScheduleKeepsTheInvariants() throws Exception {
        try (var store = JdbcStore.open(postgres.createDatabase("random_schedules"), postgres.user(),
                postgres.password())) {
            cluster = startCluster(store);
            for (int s = 0; s < SCHEDULES; s++) {
                long seed = FIRST_SEED + s;
                try {
                    run(store, s, seed);
                } catch (Throwable e) { // a SimulatedCrash reaching the test thread too: name the schedule
                    CrashPoints.reset();
                    throw new AssertionError("schedule " + s + " failed; rerun it with -Dorrery.crash.seed=" + seed
                            + " -Dorrery.crash.schedules=1", e);
                }
            }
        }
        int total = fired.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf("%d random crash schedules from seed %d, %d crashed: %s%n", SCHEDULES, FIRST_SEED, total,
                fired);
        assertThat(total).as("schedules whose crash point was reached").isGreaterThan(SCHEDULES / 2);
        if (SCHEDULES >= 4 * CLUSTER_KILL_ONE_IN) {
            assertThat(fired).as("every kind of crash happened").containsKeys(Crash.values());
        }
    }

    private TestCluster startCluster(JdbcStore store) {
        TestCluster started = new TestCluster(3, ledger).start(store, false, TestCluster.options(),
                CrashScenario.functions());
        started.deployEverywhere(CrashScenario.TENANT, CrashScenario.module());
        return started;
    }

    private void run(JdbcStore store, int schedule, long seed) throws InterruptedException {
        Random random = new Random(seed);
        String point = EngineCrashPoints.ALL.get(random.nextInt(EngineCrashPoints.ALL.size()));
        int hit = 1 + random.nextInt(6);
        int instances = 2 + random.nextInt(5);
        Crash crash = Math.floorMod(seed, CLUSTER_KILL_ONE_IN) == 0 ? Crash.CLUSTER_KILLED
                : random.nextInt(MEMBER_HALT_ONE_IN) == 0 ? Crash.MEMBER_HALTED : Crash.ENGINE_RESTARTED;
        List<String> keys = IntStream.range(0, instances).mapToObj(i -> "s" + schedule + "-" + i).toList();
        AtomicBoolean reached = new AtomicBoolean();
        switch (crash) {
            case ENGINE_RESTARTED -> restartEngine(point, hit, keys, reached);
            case MEMBER_HALTED -> haltMember(point, Math.min(hit, instances), keys, reached);
            case CLUSTER_KILLED -> killCluster(store, point, Math.min(hit, instances), keys, reached);
        }
        if (reached.get()) {
            fired.merge(crash, 1, Integer::sum);
        }
    }

    private void restartEngine(String point, int hit, List<String> keys, AtomicBoolean reached)
            throws InterruptedException {
        var restarts = new CopyOnWriteArrayList<Thread>();
        CrashPoints.arm(point, CrashScenario.restartEngine(cluster, hit, reached, restarts::add));
        try {
            CrashScenario.submit(cluster, keys);
            CrashScenario.awaitInvariants(cluster, keys, Duration.ofSeconds(60));
        } finally {
            CrashPoints.reset();
            for (Thread t : restarts) {
                t.join();
            }
        }
    }

    /** The member halted at the point stays down until the survivors have finished; then it starts again. */
    private void haltMember(String point, int hit, List<String> keys, AtomicBoolean reached) {
        CrashPoints.arm(point, CrashScenario.terminateMember(cluster, hit, reached));
        try {
            CrashScenario.submit(cluster, keys);
            CrashScenario.awaitInvariants(cluster, keys, Duration.ofSeconds(60));
        } finally {
            CrashPoints.reset();
        }
        for (int i = 0; i < cluster.members.size(); i++) {
            if (!cluster.alive(i)) {
                cluster.revive(i);
            }
        }
    }

    /**
     * Until the point fires (or the instances finish first), then a new cluster on the same store: the clients
     * send every request of the schedule again, as they would to a cluster that came back.
     */
    private void killCluster(JdbcStore store, String point, int hit, List<String> keys, AtomicBoolean reached)
            throws InterruptedException {
        CountDownLatch killed = new CountDownLatch(1);
        CrashPoints.arm(point, CrashScenario.killCluster(cluster, hit, reached, killed));
        try {
            CrashScenario.submit(cluster, keys);
            await().dontCatchUncaughtExceptions().ignoreExceptions().atMost(Duration.ofSeconds(60))
                    .until(() -> reached.get() || completed(keys));
        } finally {
            CrashPoints.reset();
        }
        if (reached.get()) {
            assertThat(killed.await(30, TimeUnit.SECONDS)).as("the cluster died at " + point).isTrue();
            cluster.close();
            cluster = startCluster(store);
            CrashScenario.submit(cluster, keys);
        }
        CrashScenario.awaitInvariants(cluster, keys, Duration.ofSeconds(60));
    }

    private boolean completed(List<String> keys) {
        if (cluster.allDead()) {
            return false;
        }
        var engine = cluster.anyAlive(0).engine();
        return keys.stream().allMatch(k -> engine.find(new InstanceId(CrashScenario.TENANT, "crash", k))
                .map(v -> v.completed()).orElse(false));
    }
}
