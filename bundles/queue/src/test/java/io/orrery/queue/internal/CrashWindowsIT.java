package io.orrery.queue.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orrery.api.fault.CrashPoints;
import io.orrery.api.queue.Claim;
import io.orrery.api.queue.ClaimRequest;
import io.orrery.api.queue.MessageInfo;
import io.orrery.api.queue.QueueId;
import io.orrery.api.queue.QueueMessage;
import io.orrery.api.queue.QueueSettings;
import io.orrery.api.store.Store;
import io.orrery.cluster.testing.LoopbackMembers;
import io.orrery.queue.grid.EnqueueOperation;
import io.orrery.queue.grid.ShardRules;
import io.orrery.queue.grid.Slot;
import io.orrery.store.JdbcStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The windows found by reading the queue, each opened on purpose and shown closed. */
class CrashWindowsIT {

    /** The writer writes only when the test says so: the windows are opened at exact places. */
    private static final QueueOptions MANUAL_FLUSH = QueueOptions.DEFAULTS.withFlushInterval(Duration.ofHours(1));

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        CrashPoints.reset();
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private Supplier<Store> h2() {
        String url = "jdbc:h2:file:" + dir.resolve("store").toAbsolutePath();
        return () -> JdbcStore.open(url, "sa", "");
    }

    private FaultCluster cluster(int size, QueueOptions options, Supplier<Store> stores) {
        FaultCluster c = new FaultCluster(size, options, stores).start();
        open.add(c);
        return c;
    }

    private static QueueMessage msg(QueueId q, String id) {
        return QueueMessage.builder(q).id(id).payload(id.getBytes()).build();
    }

    @Test
    void aMessageAckedWhileItsWriteIsInFlightStaysAckedAfterAFullRestart() throws Exception {
        FaultCluster c = cluster(1, MANUAL_FLUSH, h2());
        QueueId q = QueueId.of("acme", "window");
        ShardedQueueService queues = c.service(0);
        queues.enqueue(msg(q, "m"));
        Claim claim = queues.claimOne(q).orElseThrow();
        boolean[] acked = new boolean[1];
        Crashes.Shot ack = Crashes.run(() -> acked[0] = queues.ack(claim));
        CrashPoints.arm(QueueCrashPoints.JOURNAL_TAKEN, ack);

        c.flushAll(); // takes "m" as leased, the ack lands, then writes the leased row
        CrashPoints.reset();
        c.flushAll();
        assertThat(ack.fired()).isTrue();
        assertThat(acked[0]).isTrue();

        c.restart();
        assertThat(c.service(0).find(q, "m")).map(MessageInfo::state)
                .hasValueSatisfying(s -> assertThat(s.isFinal()).as("acked before the crash").isTrue());
        assertThat(c.service(0).claimOne(q)).as("an acked message comes back").isEmpty();
    }

    @Test
    void aKeyedMessageAckedAfterItsWriteFailedIsStillKnownInItsKeysShardAfterAFullRestart() throws Exception {
        FaultCluster c = cluster(1, MANUAL_FLUSH.withShards(8), h2());
        QueueId q = QueueId.of("acme", "keyed");
        String key = keyInAnotherShardThan("m", 8);
        ShardedQueueService queues = c.service(0);
        queues.enqueue(QueueMessage.builder(q).id("m").exclusiveKey(key).payload("first".getBytes()).build());
        Claim claim = queues.claimOne(q).orElseThrow();
        CrashPoints.arm(QueueCrashPoints.JOURNAL_TAKEN, (point, scope) -> {
            throw new IllegalStateException("the store went away mid-flush");
        });
        assertThatThrownBy(c::flushAll).hasMessageContaining("mid-flush");
        CrashPoints.reset();
        assertThat(queues.ack(claim)).isTrue();
        c.flushAll(); // the finish of a message whose first write may or may not have committed

        c.restart();
        // Written without its key, the finish came back in the shard of its id: the same id and key were taken
        // as new, and the new message's writes fell under the old row's version, so a second restart lost it.
        assertThat(c.service(0).enqueue(QueueMessage.builder(q).id("m").exclusiveKey(key)
                .payload("again".getBytes()).build())).as("the id is still remembered").isFalse();
        assertThat(c.service(0).find(q, "m")).map(MessageInfo::state)
                .hasValueSatisfying(st -> assertThat(st.isFinal()).isTrue());
    }

    private static String keyInAnotherShardThan(String id, int shards) {
        int shard = ShardKeys.indexFor(id, null, shards);
        for (int i = 0; ; i++) {
            if (ShardKeys.indexFor(id, "k" + i, shards) != shard) {
                return "k" + i;
            }
        }
    }

    @Test
    void aClaimKeepsWhatItLeasedWhenALaterShardCallFails() throws Exception {
        FaultCluster c = cluster(1, QueueOptions.DEFAULTS.withPersistence(QueueOptions.Persistence.NONE)
                .withShards(1), () -> null);
        ShardedQueueService queues = c.service(0);
        QueueId acme = QueueId.of("acme", "jobs");
        QueueId beta = QueueId.of("beta", "jobs");
        queues.enqueue(msg(acme, "a1"));
        queues.enqueue(msg(beta, "b1"));
        AtomicInteger calls = new AtomicInteger();
        CrashPoints.arm(QueueCrashPoints.CLAIM_NEXT_SHARD, (point, scope) -> {
            if (calls.incrementAndGet() == 2) {
                throw new IllegalStateException("simulated failure of a shard call");
            }
        });

        List<Claim> got = queues.claim(ClaimRequest.of(List.of(acme, beta)).max(10));
        CrashPoints.reset();

        assertThat(got).as("what the first shard leased reaches the consumer").hasSize(1);
        assertThat(queues.ack(got.get(0))).isTrue();
        assertThat(queues.stats(acme).inFlight() + queues.stats(beta).inFlight()).isZero();
    }

    @Test
    void aMemberWhoseClockRunsAheadExpiresNoLeaseHeldElsewhere() throws Exception {
        LoopbackMembers ports = QueueMembers.of(2);
        HazelcastInstance a = ports.start(0);
        HazelcastInstance b = ports.start(1);
        open.add(() -> {
            a.getLifecycleService().terminate();
            b.getLifecycleService().terminate();
        });
        await().atMost(30, TimeUnit.SECONDS).until(() -> a.getCluster().getMembers().size() == 2);
        QueueOptions options = QueueOptions.DEFAULTS.withPersistence(QueueOptions.Persistence.NONE).withShards(1);
        ShardedQueueService onTime = ShardedQueueService.start(a, options, new SimpleMeterRegistry(), null);
        ShardedQueueService ahead = ShardedQueueService.start(b, options, new SimpleMeterRegistry(), null,
                Clock.offset(Clock.systemUTC(), Duration.ofHours(1)));
        open.add(onTime);
        open.add(ahead);
        QueueId q = QueueId.of("acme", "clocks");
        onTime.configure(q, QueueSettings.DEFAULTS.withLeaseTime(Duration.ofMinutes(5)));
        onTime.enqueue(msg(q, "m"));
        Claim held = onTime.claimOne(q).orElseThrow();

        assertThat(ahead.claimOne(q)).as("the lease has minutes to run by the cluster's time").isEmpty();
        assertThat(onTime.ack(held)).isTrue();
    }

    @Test
    void aLeaseTokenIsNotIssuedAgainWhenTheClaimsBackupDiedWithItsPrimary() throws Exception {
        FaultCluster c = cluster(3, QueueOptions.DEFAULTS.withPersistence(QueueOptions.Persistence.NONE)
                .withShards(1), () -> null);
        QueueId q = QueueId.of("acme", "tokens");
        c.service(0).configure(q, QueueSettings.DEFAULTS.withLeaseTime(Duration.ofMinutes(5)));
        c.service(0).enqueue(msg(q, "m"));
        var owner = c.member(0).getPartitionService().getPartition(ShardKeys.key(q, 0)).getOwner();
        int primary = -1;
        for (int i = 0; i < c.size(); i++) {
            if (c.member(i).getCluster().getLocalMember().getUuid().equals(owner.getUuid())) {
                primary = i;
            }
        }
        int survivor = c.anotherAlive(primary);
        // the claim's backup is lost: the primary answers after the backup timeout, then dies
        Crashes.Shot lost = new Crashes.Shot((point, scope) -> {
            throw new IllegalStateException("backup lost");
        });
        CrashPoints.arm(QueueCrashPoints.BACKUP_APPLY, lost);
        Claim first = c.service(survivor).claimOne(q).orElseThrow();
        CrashPoints.reset();
        assertThat(lost.fired()).isTrue();
        c.kill(primary);

        Claim second = await().atMost(30, TimeUnit.SECONDS).ignoreExceptions()
                .until(() -> c.service(survivor).claimOne(q), java.util.Optional::isPresent).orElseThrow();
        assertThat(second.messageId()).isEqualTo("m");
        assertThat(second.leaseToken()).as("a new lease, a new token").isNotEqualTo(first.leaseToken());
        assertThat(c.service(survivor).ack(first)).as("the lost lease's holder cannot ack the new one").isFalse();
        assertThat(c.service(survivor).ack(second)).isTrue();
    }

    @Test
    void anExclusiveKeyTooLongForTheStoreIsRefusedAtEnqueue() {
        FaultCluster c = cluster(1, MANUAL_FLUSH, h2());
        QueueId q = QueueId.of("acme", "keys");
        QueueMessage tooLong = QueueMessage.builder(q).id("m").exclusiveKey("k".repeat(201)).build();
        assertThatThrownBy(() -> c.service(0).enqueue(tooLong)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exclusiveKey").hasMessageContaining("200");
        assertThatThrownBy(() -> c.service(0).enqueueAll(List.of(msg(q, "ok"), tooLong)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(c.service(0).find(q, "ok")).as("nothing of a refused batch is enqueued").isEmpty();
    }

    @Test
    void oneRowTheStoreRefusesDoesNotStopTheOthersBeingWritten() throws Exception {
        FaultCluster c = cluster(1, MANUAL_FLUSH.withShards(1), h2());
        QueueId q = QueueId.of("acme", "rows");
        ShardedQueueService queues = c.service(0);
        queues.enqueue(msg(q, "before"));
        // a row from before enqueue checked keys (or any row the store refuses), put straight into the shard
        Slot bad = Slot.incoming("bad", 4, Slot.NONE, Slot.NONE, "k".repeat(300), 0, null, null, new byte[0], 1);
        c.member(0).<String, io.orrery.queue.grid.Shard>getMap(ShardedQueueService.SHARD_MAP).executeOnKey(ShardKeys.key(q, 0),
                new EnqueueOperation(System.currentTimeMillis() * 1000, new ShardRules(5, 0, 300_000_000L, 20_000,
                        true), List.of(bad)).on(ShardKeys.key(q, 0)));
        c.flushAll();
        queues.enqueue(msg(q, "after"));
        c.flushAll();

        c.restart();
        assertThat(c.service(0).find(q, "before")).isPresent();
        assertThat(c.service(0).find(q, "after")).isPresent();
        assertThat(c.service(0).find(q, "bad")).isEmpty();
    }

    @Test
    void theJournalsOfMembersWithoutAStoreAreWritten() throws Exception {
        Supplier<Store> h2 = h2();
        AtomicInteger started = new AtomicInteger();
        FaultCluster c = cluster(2, MANUAL_FLUSH, () -> started.getAndIncrement() % 2 == 0 ? h2.get() : null);
        QueueId q = QueueId.of("acme", "storeless");
        List<QueueMessage> batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            batch.add(msg(q, "m" + i));
        }
        c.service(1).enqueueAll(batch);
        c.flushAll();

        c.restart();
        for (int i = 0; i < 100; i++) {
            assertThat(c.service(0).find(q, "m" + i)).as("m" + i).isPresent();
        }
    }

    @Test
    void aClaimLooksAtShardsItHasNotSeenBeforeChoosingByPriority() throws Exception {
        FaultCluster c = cluster(2, QueueOptions.DEFAULTS.withPersistence(QueueOptions.Persistence.NONE), () -> null);
        QueueId q = QueueId.of("acme", "priorities");
        String low = "low";
        String high = idInAnotherShard(low, 8);
        c.service(1).enqueue(QueueMessage.builder(q).id(high).priority(9).build());
        c.service(0).enqueue(QueueMessage.builder(q).id(low).priority(0).build());

        assertThat(c.service(0).claimOne(q)).map(Claim::messageId).as("the most urgent message first")
                .hasValue(high);
    }

    @Test
    void aMoreUrgentMessageInAShardAlreadyKnownClaimableIsClaimedFirst() throws Exception {
        FaultCluster c = cluster(2, QueueOptions.DEFAULTS.withPersistence(QueueOptions.Persistence.NONE).withShards(2),
                () -> null);
        QueueId q = QueueId.of("acme", "priorities");
        String low = "low";
        String mid = idInShard("mid", ShardKeys.indexFor(low, null, 2), false, 2);
        String high = idInShard("high", ShardKeys.indexFor(low, null, 2), true, 2);
        c.service(0).enqueue(QueueMessage.builder(q).id(low).priority(0).build());
        c.service(0).enqueue(QueueMessage.builder(q).id(mid).priority(5).build());
        long heard = c.service(0).doorbellGeneration();

        // The shard of low was claimable already: only its head became more urgent.
        c.service(1).enqueue(QueueMessage.builder(q).id(high).priority(9).build());

        await("member 0 hears that a shard's head became more urgent").atMost(Duration.ofSeconds(5))
                .until(() -> c.service(0).doorbellGeneration() > heard);
        assertThat(c.service(0).claimOne(q)).map(Claim::messageId).as("the most urgent message first")
                .hasValue(high);
    }

    /** An id starting with {@code prefix} that lands in shard {@code shard} (or, with {@code in} false, not). */
    private static String idInShard(String prefix, int shard, boolean in, int shards) {
        for (int i = 0; ; i++) {
            if ((ShardKeys.indexFor(prefix + i, null, shards) == shard) == in) {
                return prefix + i;
            }
        }
    }

    private static String idInAnotherShard(String id, int shards) {
        int shard = ShardKeys.indexFor(id, null, shards);
        for (int i = 0; ; i++) {
            if (ShardKeys.indexFor("high" + i, null, shards) != shard) {
                return "high" + i;
            }
        }
    }

    @Test
    void deadLettersAndFinishedIdsComeBackInTheOrderTheyEnteredTheirState() throws Exception {
        FaultCluster c = cluster(1, MANUAL_FLUSH.withShards(1), h2());
        QueueId q = QueueId.of("acme", "order");
        ShardedQueueService queues = c.service(0);
        List<String> diedInOrder = List.of("d9", "d5", "d7", "d1", "d3");
        for (String id : diedInOrder) {
            queues.enqueue(msg(q, id));
            queues.reject(queues.claimOne(q).orElseThrow(), "poison");
        }
        c.flushAll();

        c.restart();
        List<String> replayed = new ArrayList<>();
        for (int i = 0; i < diedInOrder.size(); i++) {
            assertThat(c.service(0).replayDead(q, 1)).isEqualTo(1);
            replayed.add(c.service(0).claimOne(q).orElseThrow().messageId());
        }
        assertThat(replayed).as("replay takes the oldest dead letter first").isEqualTo(diedInOrder);
    }

    @Test
    void aShardMapThatIsNotKeptAsObjectsStopsTheQueueAtStart() {
        LoopbackMembers ports = QueueMembers.of(1);
        HazelcastInstance m = ports.start(0, config -> config.addMapConfig(
                new MapConfig(ShardedQueueService.SHARD_MAP).setInMemoryFormat(InMemoryFormat.BINARY)));
        open.add(() -> m.getLifecycleService().terminate());

        assertThatThrownBy(() -> ShardedQueueService.start(m, QueueOptions.DEFAULTS.withPersistence(
                QueueOptions.Persistence.NONE), new SimpleMeterRegistry(), null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("OBJECT")
                .hasMessageContaining(ShardedQueueService.SHARD_MAP);
    }

    @Test
    void aMemberLeftWithoutAMajorityTakesNoWork() throws Exception {
        FaultCluster c = cluster(3, QueueOptions.DEFAULTS.withPersistence(QueueOptions.Persistence.NONE), () -> null);
        QueueId q = QueueId.of("acme", "split");
        c.service(0).enqueue(msg(q, "m"));
        c.kill(1);
        c.kill(2);
        await().atMost(30, TimeUnit.SECONDS).until(() -> c.member(0).getCluster().getMembers().size() == 1);

        assertThatThrownBy(() -> c.service(0).claimOne(q)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("configured cluster members");
        assertThatThrownBy(() -> c.service(0).enqueue(msg(q, "n"))).isInstanceOf(IllegalStateException.class);
    }
}
