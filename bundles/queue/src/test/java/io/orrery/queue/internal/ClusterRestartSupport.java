package io.orrery.queue.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orrery.api.queue.Claim;
import io.orrery.api.queue.ClaimRequest;
import io.orrery.api.queue.MessageInfo;
import io.orrery.api.queue.MessageState;
import io.orrery.api.queue.QueueId;
import io.orrery.api.queue.QueueMessage;
import io.orrery.api.queue.QueueSettings;
import io.orrery.api.queue.QueueStats;
import io.orrery.cluster.testing.LoopbackMembers;
import io.orrery.store.JdbcStore;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A whole cluster of two members is terminated (no shutdown, no final flush) and a new one starts on the same
 * store: pending, delayed, dead and finished messages come back with their states, order and attempts.
 */
abstract class ClusterRestartSupport {

    private final List<HazelcastInstance> members = new ArrayList<>();
    private final List<ShardedQueueService> services = new ArrayList<>();
    private JdbcStore store;

    /** Opens the store; each call must reach the same database. */
    abstract JdbcStore openStore();

    @AfterEach
    void stopAll() {
        crash();
        if (store != null) {
            store.close();
        }
    }

    private void startCluster() {
        startCluster(Duration.ofMillis(50));
    }

    /**
     * @param flushInterval of the write-behind journals; a test that says exactly what reached the store flushes
     *                      them itself and gives an interval no run reaches, so a slow machine cannot write between
     */
    private void startCluster(Duration flushInterval) {
        store = openStore();
        LoopbackMembers cluster = QueueMembers.of(2);
        QueueOptions options = QueueOptions.DEFAULTS.withFlushInterval(flushInterval);
        for (int i = 0; i < 2; i++) {
            members.add(cluster.start(i));
        }
        await().atMost(30, TimeUnit.SECONDS).until(() -> members.get(0).getCluster().getMembers().size() == 2);
        for (HazelcastInstance m : members) {
            services.add(ShardedQueueService.start(m, options, new SimpleMeterRegistry(), store));
        }
    }

    /** Every member terminated at the same moment (in parallel): what is not in the store is gone. */
    private void crash() {
        List<Thread> kills = members.stream()
                .map(m -> new Thread(() -> m.getLifecycleService().terminate(), "crash")).toList();
        kills.forEach(Thread::start);
        for (Thread t : kills) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        services.forEach(ShardedQueueService::close);
        members.clear();
        services.clear();
        if (store != null) {
            store.close();
            store = null;
        }
    }

    private static QueueMessage.Builder msg(QueueId q, String id) {
        return QueueMessage.builder(q).id(id).payload(id.getBytes());
    }

    @Test
    void pendingDelayedDeadAndFinishedMessagesComeBackAfterAFullRestart() throws Exception {
        startCluster(Duration.ofHours(1)); // only the explicit flushes below write: "fleeting" never reaches the store
        QueueId q = QueueId.of("acme", "restart");
        ShardedQueueService queues = services.get(0);
        queues.configure(q, QueueSettings.DEFAULTS.withMaxAttempts(1).withLeaseTime(Duration.ofMinutes(5)));
        Instant later = Instant.now().plus(Duration.ofHours(1));

        for (int i = 0; i < 5; i++) {
            queues.enqueue(msg(q, "dead-" + i).build());
            queues.reject(queues.claimOne(q).orElseThrow(), "poison " + i);
        }
        for (int i = 0; i < 10; i++) {
            queues.enqueue(msg(q, "done-" + i).build());
        }
        for (ShardedQueueService s : services) {
            s.flushJournal(); // in the store as pending first, so their completion is written too
        }
        for (int i = 0; i < 10; i++) {
            assertThat(queues.ack(queues.claimOne(q).orElseThrow())).isTrue();
        }
        queues.enqueue(msg(q, "fleeting").build());
        assertThat(queues.ack(queues.claimOne(q).orElseThrow())).isTrue();
        for (int i = 0; i < 10; i++) {
            queues.enqueue(msg(q, "leased-" + i).priority(9).exclusiveKey("k" + i).build());
        }
        int leased = 0;
        while (leased < 10) {
            leased += queues.claim(ClaimRequest.of(q).max(10 - leased)).size();
        }
        for (int i = 0; i < 100; i++) {
            queues.enqueue(msg(q, "pending-" + i).priority(i % 10 == 9 ? 8 : i % 10).build());
        }
        for (int i = 0; i < 20; i++) {
            queues.enqueue(msg(q, "delayed-" + i).notBefore(later).build());
        }
        QueueStats before = queues.stats(q);
        for (ShardedQueueService s : services) {
            s.flushJournal();
        }

        crash();
        startCluster();
        queues = services.get(1);

        QueueStats after = queues.stats(q);
        assertThat(after.count(MessageState.PENDING)).as("pending, and the leases that died with the cluster")
                .isEqualTo(before.count(MessageState.PENDING) + 10);
        assertThat(after.count(MessageState.DELAYED)).isEqualTo(20);
        assertThat(after.dead()).isEqualTo(5);
        assertThat(after.count(MessageState.COMPLETED)).isEqualTo(10);
        assertThat(after.inFlight()).isZero();
        assertThat(queues.settings(q).maxAttempts()).isEqualTo(1);

        assertThat(queues.enqueue(msg(q, "done-3").build())).as("finished ids stay remembered").isFalse();
        assertThat(queues.find(q, "fleeting")).as("finished before its first write: unknown to the store").isEmpty();
        assertThat(queues.find(q, "delayed-7")).map(i -> i.message().notBefore()).isPresent()
                .get().satisfies(t -> assertThat(t).isCloseTo(later, org.assertj.core.api.Assertions.within(
                        1, java.time.temporal.ChronoUnit.MILLIS)));
        assertThat(queues.browse(q, MessageState.DEAD, 10)).extracting(MessageInfo::lastError)
                .contains("poison 0", "poison 4");

        List<Claim> claimed = new ArrayList<>();
        for (List<Claim> c = queues.claim(ClaimRequest.of(q).max(1)); !c.isEmpty();
             c = queues.claim(ClaimRequest.of(q).max(1))) {
            claimed.addAll(c);
        }
        assertThat(claimed).hasSize(110);
        assertThat(claimed.subList(0, 10)).allSatisfy(c -> {
            assertThat(c.messageId()).startsWith("leased-");
            assertThat(c.message().attempts()).as("the lost lease counted as an attempt").isEqualTo(2);
        });
        assertThat(claimed).extracting(c -> c.message().priority()).isSortedAccordingTo((a, b) -> b - a);
        assertThat(claimed.get(10).message().payload()).isEqualTo(claimed.get(10).messageId().getBytes());
        assertThat(queues.replayDead(q, 10)).isEqualTo(5);
    }

    /**
     * A nack's reason is the consumer's text, a function's error message among them, which tenant code writes: one
     * the store could not hold as it is (PostgreSQL stores no NUL) must not keep its message out of the store.
     */
    @Test
    void aMessageNackedForAReasonWithControlCharactersComesBackAfterAFullRestart() throws Exception {
        startCluster(Duration.ofHours(1));
        QueueId q = QueueId.of("acme", "reasons");
        ShardedQueueService queues = services.get(0);
        queues.enqueue(msg(q, "m").build());
        queues.nack(queues.claimOne(q).orElseThrow(), Duration.ofHours(1), "bad\u0000reason\u0007" + "é".repeat(2000));
        for (ShardedQueueService s : services) {
            s.flushJournal();
        }

        crash();
        startCluster();

        assertThat(services.get(1).find(q, "m")).as("the message is in the store").isPresent().get()
                .satisfies(info -> {
                    assertThat(info.state()).isEqualTo(MessageState.DELAYED);
                    assertThat(info.lastError()).startsWith("bad\\u0000reason\\u0007é")
                            .hasSize(FailureReason.MAX_LENGTH);
                });
    }

    @Test
    void anIdEnqueuedAgainAfterTheWindowIsKeptThoughItsOldFinishedRowIsStillInTheStore() throws Exception {
        startCluster(Duration.ofHours(1)); // the test writes the journals itself
        QueueId q = QueueId.of("acme", "again");
        ShardedQueueService queues = services.get(0);
        queues.enqueue(msg(q, "a").payload(bytes("first")).build());
        flushAll();
        assertThat(queues.ack(queues.claimOne(q).orElseThrow())).isTrue();
        flushAll();
        assertThat(stateInStore(q, "a")).hasValue("COMPLETED");
        // the queue tells the cluster's time, which a test cannot move on: the row is made older instead
        ageFinishedRows(QueueOptions.DEFAULTS.idempotencyWindow().plusSeconds(1));

        crash(); // before the writer's cleanup of old finished rows (once a minute) ran: the row is still there
        startCluster(Duration.ofHours(1));
        queues = services.get(0);
        assertThat(queues.enqueue(msg(q, "a").payload(bytes("second")).build()))
                .as("the window has passed: the id is accepted again").isTrue();
        flushAll();
        assertThat(stateInStore(q, "a")).as("the new message's row").hasValue("PENDING");

        new MessageTable(store.dataSource()).deleteFinishedBefore(
                Micros.of(Instant.now().minus(QueueOptions.DEFAULTS.idempotencyWindow()))); // the writer's cleanup
        crash();
        startCluster();
        Optional<Claim> again = services.get(0).claimOne(q);
        assertThat(again).as("an accepted message outlives a restart").isPresent();
        assertThat(again.get().messageId()).isEqualTo("a");
        assertThat(again.get().message().payload()).isEqualTo(bytes("second"));
    }

    private void flushAll() throws SQLException {
        for (ShardedQueueService s : services) {
            s.flushJournal();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private Optional<String> stateInStore(QueueId q, String id) throws SQLException {
        try (Connection c = store.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT state FROM queue_messages WHERE tenant = ? "
                     + "AND queue_name = ? AND id = ?")) {
            ps.setString(1, q.tenant());
            ps.setString(2, q.name());
            ps.setString(3, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** Moves every finished row's end into the past by {@code age}: as if the messages had finished that long ago. */
    private void ageFinishedRows(Duration age) throws SQLException {
        try (Connection c = store.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE queue_messages SET state_since_us = state_since_us "
                     + "- ? WHERE state IN ('COMPLETED', 'CANCELLED')")) {
            ps.setLong(1, Micros.of(age));
            ps.executeUpdate();
        }
    }

    @Test
    void theLossWindowOfAFullCrashIsAboutTheFlushInterval() throws Exception {
        startCluster();
        QueueId q = QueueId.of("acme", "loss");
        ShardedQueueService queues = services.get(0);
        List<long[]> accepted = new ArrayList<>(); // {index, nanoTime when enqueue returned}
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        int i = 0;
        while (System.nanoTime() < end) {
            queues.enqueue(msg(q, "m" + i).build());
            accepted.add(new long[] {i++, System.nanoTime()});
        }
        long crashAt = System.nanoTime();
        long maxLag = services.stream().mapToLong(ShardedQueueService::maxPersistLagMicros).max().orElse(0);
        crash();
        startCluster();
        queues = services.get(0);

        long oldestLost = Long.MAX_VALUE;
        int lost = 0;
        for (long[] a : accepted) {
            if (queues.find(q, "m" + a[0]).isEmpty()) {
                lost++;
                oldestLost = Math.min(oldestLost, a[1]);
            }
        }
        double windowMs = lost == 0 ? 0 : (crashAt - oldestLost) / 1e6;
        System.out.printf("write-behind loss: %d of %d acknowledged enqueues lost in a full crash; the oldest lost "
                + "was acknowledged %.1f ms before the crash; longest write lag %.1f ms (flush interval 50 ms)%n",
                lost, accepted.size(), windowMs, maxLag / 1000.0);
        assertThat(windowMs).as("loss window").isLessThan(1000);
        assertThat(lost).isLessThan(accepted.size() / 2);
    }
}
