package io.orrery.queue.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.fault.CrashPoints;
import io.orrery.api.fault.SimulatedCrash;
import io.orrery.api.queue.Claim;
import io.orrery.api.queue.ClaimRequest;
import io.orrery.api.queue.QueueId;
import io.orrery.api.queue.QueueMessage;
import io.orrery.api.queue.QueueSettings;
import io.orrery.store.JdbcStore;
import io.orrery.store.testing.PostgresServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Randomised schedules on one cluster of three members over a real PostgreSQL (one cluster for all, so a schedule
 * is cheap): each makes random enqueues, claims, acks, nacks, extensions and flushes on random members, with one
 * random crash point armed at a random step, then drains its queue and checks the invariants of
 * {@link QueueLedger}. Most crashes are a consumer's or the journal writer's (the thread dies at the point, or
 * another operation races in there); about one schedule in twelve terminates the member that reached the point,
 * which is started again after; and the seeds that divide by {@value #CLUSTER_KILL_ONE_IN} kill the whole cluster
 * at the point and start it again from PostgreSQL. The kind of crash is drawn from the seed, so the seed replays it.
 */
class SeededScheduleIT {

    private static final QueueOptions OPTIONS = QueueOptions.DEFAULTS.withFlushInterval(Duration.ofMillis(50))
            .withDefaults(new QueueSettings(Duration.ofMillis(300), 1000, Duration.ZERO));
    /** Points a consumer's thread reaches: crashing the thread there loses what it held. */
    private static final List<String> CONSUMER_POINTS = List.of(QueueCrashPoints.CLAIM_NEXT_SHARD,
            QueueCrashPoints.CLAIM_LEASED);
    /** Points where another operation races in. */
    private static final List<String> RACE_POINTS = List.of(QueueCrashPoints.JOURNAL_TAKEN,
            QueueCrashPoints.JOURNAL_STORED, QueueCrashPoints.REAPER_TICK);
    /** A cluster restart costs seconds, so one seed in as many takes it. */
    static final int CLUSTER_KILL_ONE_IN = 20;
    /** Points where the member, or the whole cluster, dies. */
    private static final List<String> MEMBER_POINTS = QueueCrashPoints.ALL.stream()
            .filter(p -> !p.equals(QueueCrashPoints.RESTORE_CHUNK)).toList();

    /** What happens at the armed point. */
    private enum Kind {
        THREAD_DIES("crash at "), RACE("race at "), MEMBER_KILLED("member killed at "),
        CLUSTER_KILLED("cluster killed at ");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private static PostgresServer postgres;
    private FaultCluster cluster;
    private final java.util.Map<String, Integer> fired = new java.util.TreeMap<>();

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @AfterEach
    void tearDown() {
        CrashPoints.reset();
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyScheduleKeepsTheQueueInvariants() {
        String url = postgres.createDatabase("schedules");
        cluster = new FaultCluster(3, OPTIONS, () -> JdbcStore.open(url, postgres.user(), postgres.password()))
                .start();
        int count = SeededSchedules.count(115);
        SeededSchedules.run("queue schedules", count, this::schedule);
        System.out.printf("queue schedules: %d passed; crashes that fired, by kind and point: %s%n", count, fired);
        assertThat(fired).as("schedules reach their points").isNotEmpty();
        if (count >= 4 * CLUSTER_KILL_ONE_IN) {
            assertThat(fired.keySet()).as("whole-cluster kills among them")
                    .anyMatch(k -> k.startsWith(Kind.CLUSTER_KILLED.label));
        }
    }

    private void schedule(long seed, Random random) throws Exception {
        QueueLedger ledger = new QueueLedger(QueueId.of("acme", "s" + seed));
        List<Claim> held = Collections.synchronizedList(new ArrayList<>());
        Kind kind = Math.floorMod(seed, CLUSTER_KILL_ONE_IN) == 0 ? Kind.CLUSTER_KILLED
                : random.nextInt(12) == 0 ? Kind.MEMBER_KILLED
                : random.nextBoolean() ? Kind.THREAD_DIES : Kind.RACE;
        String point;
        Crashes.Shot shot;
        if (kind == Kind.CLUSTER_KILLED) {
            point = MEMBER_POINTS.get(random.nextInt(MEMBER_POINTS.size()));
            shot = Crashes.killCluster(cluster);
        } else if (kind == Kind.MEMBER_KILLED) {
            point = MEMBER_POINTS.get(random.nextInt(MEMBER_POINTS.size()));
            shot = Crashes.terminateMember(cluster, i -> { });
        } else if (kind == Kind.THREAD_DIES) {
            point = CONSUMER_POINTS.get(random.nextInt(CONSUMER_POINTS.size()));
            shot = Crashes.threadDies();
        } else {
            point = RACE_POINTS.get(random.nextInt(RACE_POINTS.size()));
            Random raceRandom = new Random(random.nextLong());
            shot = Crashes.run(() -> race(ledger, held, raceRandom));
        }
        int steps = 15 + random.nextInt(20);
        int armAt = random.nextInt(steps);
        for (int step = 0; step < steps && !(kind == Kind.CLUSTER_KILLED && shot.fired()); step++) {
            if (step == armAt) {
                if (kind == Kind.CLUSTER_KILLED) {
                    cluster.flushAll(); // what was accepted and acked so far must survive the kill
                    ledger.flushed();
                }
                CrashPoints.arm(point, shot);
            }
            try {
                step(ledger, held, random, step);
            } catch (RuntimeException | SimulatedCrash e) {
                // the call reached the point, or its member died: its outcome is unknown to the caller
            }
        }
        CrashPoints.reset();
        if (shot.fired()) {
            fired.merge(kind.label + point, 1, Integer::sum);
        }
        if (kind == Kind.CLUSTER_KILLED && shot.fired()) {
            cluster.restart();
            ledger.restarted();
        }
        int victim = kind == Kind.MEMBER_KILLED && shot.fired() ? cluster.indexOf(shot.scope()) : -1;
        if (victim >= 0) {
            cluster.kill(victim);
        }
        int drainer = victim >= 0 ? cluster.anotherAlive(victim) : random.nextInt(cluster.size());
        List<String> violations = ledger.drainAndCheck(cluster.service(drainer), Duration.ofSeconds(15));
        assertThat(violations).as("schedule %d (%s%s, fired %s)", seed, kind.label, point, shot.fired()).isEmpty();
        if (victim >= 0) {
            cluster.revive(victim);
        }
    }

    private ShardedQueueService anyLive(Random random) {
        int i = random.nextInt(cluster.size());
        return cluster.service(cluster.alive(i) ? i : cluster.anotherAlive(i));
    }

    private void step(QueueLedger ledger, List<Claim> held, Random random, int step) throws Exception {
        ShardedQueueService s = anyLive(random);
        switch (random.nextInt(8)) {
            case 0, 1, 2 -> {
                List<QueueMessage> batch = new ArrayList<>();
                for (int i = 1 + random.nextInt(5); i > 0; i--) {
                    QueueMessage.Builder b = QueueMessage.builder(ledger.queue()).id("m" + step + "-" + i)
                            .priority(random.nextInt(10));
                    if (random.nextInt(4) == 0) {
                        b.exclusiveKey("k" + random.nextInt(3));
                    }
                    if (random.nextInt(6) == 0) {
                        b.notBefore(Instant.now().plusMillis(random.nextInt(200)));
                    }
                    batch.add(b.build());
                }
                List<Boolean> accepted = s.enqueueAll(batch);
                for (int i = 0; i < batch.size(); i++) {
                    if (accepted.get(i)) {
                        ledger.accepted(batch.get(i).id());
                    }
                }
            }
            case 3, 4, 5 -> {
                List<Claim> got = s.claim(ClaimRequest.of(ledger.queue()).max(1 + random.nextInt(5))
                        .waitUpTo(Duration.ofMillis(random.nextInt(20))));
                ledger.claimed(got);
                for (Claim c : got) {
                    settle(s, c, ledger, held, random);
                }
            }
            case 6 -> {
                List<Claim> all;
                synchronized (held) {
                    all = List.copyOf(held);
                    held.clear();
                }
                try {
                    s.ackAll(all); // which took is unknown per message: promise nothing for them
                } finally {
                    all.forEach(ledger::ackUnknown);
                }
            }
            default -> s.flushJournal();
        }
    }

    private static void settle(ShardedQueueService s, Claim c, QueueLedger ledger, List<Claim> held,
                               Random random) {
        int what = random.nextInt(10);
        try {
            if (what < 5) {
                if (s.ack(c)) {
                    ledger.acked(c);
                }
            } else if (what < 7) {
                s.nack(c, Duration.ZERO, "retry");
            } else if (what < 8) {
                s.extend(c, Duration.ofMillis(300)).ifPresent(held::add);
            } else {
                held.add(c);
            }
        } catch (RuntimeException | SimulatedCrash e) {
            ledger.ackUnknown(c);
            throw e;
        }
    }

    /** Runs at a race point, on whatever thread reached it: acks a held delivery, or claims. */
    private void race(QueueLedger ledger, List<Claim> held, Random random) {
        try {
            ShardedQueueService s = anyLive(random);
            Claim c = null;
            synchronized (held) {
                if (!held.isEmpty()) {
                    c = held.remove(random.nextInt(held.size()));
                }
            }
            if (c != null) {
                try {
                    if (s.ack(c)) {
                        ledger.acked(c);
                    }
                } catch (RuntimeException e) {
                    ledger.ackUnknown(c);
                }
            } else {
                ledger.claimed(s.claim(ClaimRequest.of(ledger.queue()).max(2)));
            }
        } catch (RuntimeException | InterruptedException e) {
            // the race itself failed: nothing promised by it
        }
    }
}
