package io.orrery.queue.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstanceNotActiveException;
import io.orrery.api.fault.CrashPoints;
import io.orrery.api.fault.SimulatedCrash;
import io.orrery.api.queue.Claim;
import io.orrery.api.queue.ClaimRequest;
import io.orrery.api.queue.QueueId;
import io.orrery.api.queue.QueueMessage;
import io.orrery.api.queue.QueueSettings;
import io.orrery.api.store.Store;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every named crash point, reached under load, with the member that reached it terminated there, and with the
 * whole cluster killed there and restarted from the store; then the invariants of {@link QueueLedger}.
 */
abstract class CrashPointSupport {

    private static final Logger LOG = LoggerFactory.getLogger(CrashPointSupport.class);
    static final QueueOptions OPTIONS = QueueOptions.DEFAULTS.withFlushInterval(Duration.ofMillis(50))
            .withDefaults(new QueueSettings(Duration.ofMillis(800), 1000, Duration.ZERO));

    private FaultCluster cluster;

    /** Opens the store (each call must reach the same database). */
    abstract Supplier<Store> stores();

    @AfterEach
    void tearDown() {
        CrashPoints.reset();
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The cluster-killed mode, for every point (a restart also passes through the restore's point). */
    @Test
    void theWholeClusterKilledAtEachPointLosesNoAckAndNoDurableMessage() throws Exception {
        cluster = new FaultCluster(2, OPTIONS, stores()).start();
        for (String point : QueueCrashPoints.ALL) {
            QueueLedger ledger = new QueueLedger(QueueId.of("acme", "killed-" + point.replace('.', '-')));
            Random random = new Random(point.hashCode());
            produce(ledger, 60, random);
            settle(ledger, 10, random);
            cluster.flushAll();
            ledger.flushed();
            Crashes.Shot shot = Crashes.killCluster(cluster);
            CrashPoints.arm(point, shot);
            if (point.equals(QueueCrashPoints.RESTORE_CHUNK)) {
                restartThroughCrash();
            } else {
                load(ledger, shot, random);
                CrashPoints.reset();
                cluster.restart();
            }
            ledger.restarted();
            List<String> violations = ledger.drainAndCheck(cluster.service(0), Duration.ofSeconds(20));
            LOG.info("cluster killed at {}: {}", point, violations.isEmpty() ? "invariants hold" : violations);
            assertThat(violations).as("cluster killed at " + point).isEmpty();
        }
    }

    private void restartThroughCrash() {
        try {
            cluster.restart();
        } catch (SimulatedCrash | HazelcastInstanceNotActiveException expected) {
            // the restoring member died with the cluster half way through the restore
        }
        CrashPoints.reset();
        cluster.restart();
    }

    /** The member-lost mode, for every point reached while the cluster runs. */
    void oneMemberLostAtEachPoint() throws Exception {
        cluster = new FaultCluster(3, OPTIONS, stores()).start();
        for (String point : QueueCrashPoints.ALL) {
            if (point.equals(QueueCrashPoints.RESTORE_CHUNK)) {
                continue; // reached only when a cluster starts from nothing
            }
            QueueLedger ledger = new QueueLedger(QueueId.of("acme", "lost-" + point.replace('.', '-')));
            Random random = new Random(point.hashCode());
            produce(ledger, 60, random);
            Crashes.Shot shot = Crashes.terminateMember(cluster, i -> { });
            CrashPoints.arm(point, shot);
            load(ledger, shot, random);
            CrashPoints.reset();
            int victim = cluster.indexOf(shot.scope());
            assertThat(victim).as("the member that reached " + point).isNotNegative();
            cluster.kill(victim);
            int survivor = cluster.anotherAlive(victim);
            List<String> violations = ledger.drainAndCheck(cluster.service(survivor), Duration.ofSeconds(20));
            LOG.info("member {} lost at {}: {}", victim, point, violations.isEmpty() ? "invariants hold" : violations);
            assertThat(violations).as("member lost at " + point).isEmpty();
            cluster.revive(victim);
        }
    }

    private int anyAlive(Random random) {
        int i = random.nextInt(cluster.size());
        return cluster.alive(i) ? i : cluster.anotherAlive(i);
    }

    private void produce(QueueLedger ledger, int n, Random random) {
        for (int i = 0; i < n; i++) {
            String id = "m" + random.nextInt(Integer.MAX_VALUE);
            if (cluster.service(anyAlive(random)).enqueue(QueueMessage.builder(ledger.queue()).id(id).build())) {
                ledger.accepted(id);
            }
        }
    }

    private void settle(QueueLedger ledger, int n, Random random) throws InterruptedException {
        List<Claim> got = cluster.service(anyAlive(random)).claim(ClaimRequest.of(ledger.queue()).max(n));
        ledger.claimed(got);
        for (Claim c : got) {
            if (cluster.service(anyAlive(random)).ack(c)) {
                ledger.acked(c);
            }
        }
    }

    private static void ack(ShardedQueueService s, Claim c, QueueLedger ledger) {
        try {
            if (s.ack(c)) {
                ledger.acked(c);
            }
        } catch (RuntimeException | SimulatedCrash e) {
            ledger.ackUnknown(c);
            throw e;
        }
    }

    /** Producers and consumers on every live member until the point fires; unacked claims are left to expire. */
    private void load(QueueLedger ledger, Crashes.Shot shot, Random random) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int n = 0;
        while (!shot.fired() && System.nanoTime() < end) {
            try {
                ShardedQueueService s = cluster.service(anyAlive(random));
                switch (random.nextInt(4)) {
                    case 0 -> {
                        String id = "load" + n++ + "-" + random.nextInt(1000);
                        if (s.enqueue(QueueMessage.builder(ledger.queue()).id(id).build())) {
                            ledger.accepted(id);
                        }
                    }
                    case 1, 2 -> {
                        List<Claim> got = s.claim(ClaimRequest.of(ledger.queue()).max(5)
                                .waitUpTo(Duration.ofMillis(20)));
                        ledger.claimed(got);
                        for (Claim c : got) {
                            if (random.nextInt(10) < 7) {
                                ack(s, c, ledger);
                            }
                        }
                    }
                    default -> s.flushJournal();
                }
            } catch (RuntimeException | SimulatedCrash e) {
                // a member died under the call, or the call reached the point: its outcome is unknown
            }
        }
        assertThat(shot.awaitFired(5)).as("the point was reached under load").isTrue();
    }
}
