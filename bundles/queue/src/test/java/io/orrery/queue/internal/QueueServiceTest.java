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
import io.orrery.api.trace.TraceContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The queue semantics, through the service, on one real Hazelcast member. */
class QueueServiceTest {

    private static HazelcastInstance member;
    private static SimpleMeterRegistry meters;
    private static ShardedQueueService queues;
    private QueueId q;

    @BeforeAll
    static void startMember() {
        member = QueueMembers.of(1).start(0);
        meters = new SimpleMeterRegistry();
        queues = ShardedQueueService.start(member, QueueOptions.DEFAULTS.withShards(4), meters, null);
    }

    @AfterAll
    static void stopMember() {
        queues.close();
        member.getLifecycleService().terminate();
    }

    @BeforeEach
    void freshQueue() {
        q = QueueId.of("acme", "q-" + UUID.randomUUID().toString().substring(0, 8));
    }

    private QueueMessage.Builder msg(String id) {
        return QueueMessage.builder(q).id(id).payload(id.getBytes(StandardCharsets.UTF_8));
    }

    private List<String> claimAllOneByOne() {
        List<String> ids = new ArrayList<>();
        for (Optional<Claim> c = queues.claimOne(q); c.isPresent(); c = queues.claimOne(q)) {
            ids.add(c.get().messageId());
        }
        return ids;
    }

    /** Claims in batches until nothing is claimable (a claim takes from one shard at a time). */
    private List<Claim> claimEverything() throws InterruptedException {
        List<Claim> all = new ArrayList<>();
        for (List<Claim> c = queues.claim(ClaimRequest.of(q).max(10)); !c.isEmpty();
             c = queues.claim(ClaimRequest.of(q).max(10))) {
            all.addAll(c);
        }
        return all;
    }

    @Test
    void claimsByPriorityThenEarliestDeadlineThenFifo() {
        Instant soon = Instant.now().plusSeconds(60);
        queues.enqueue(msg("p5-first").build());
        queues.enqueue(msg("p1").priority(1).build());
        queues.enqueue(msg("p9-no-deadline").priority(9).build());
        queues.enqueue(msg("p5-second").build());
        queues.enqueue(msg("p9-late").priority(9).deadline(soon.plusSeconds(60)).build());
        queues.enqueue(msg("p9-early").priority(9).deadline(soon).build());
        queues.enqueue(msg("p5-third").build());
        queues.enqueue(msg("p0").priority(0).build());

        assertThat(claimAllOneByOne()).containsExactly("p9-early", "p9-late", "p9-no-deadline", "p5-first",
                "p5-second", "p5-third", "p1", "p0");
    }

    @Test
    void fifoHoldsOverManyMessagesAcrossShards() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ids.add("m" + i);
            queues.enqueue(msg("m" + i).build());
        }
        assertThat(claimAllOneByOne()).containsExactlyElementsOf(ids);
    }

    @Test
    void enqueueIsIdempotentOnTheIdAlsoAfterCompletion() {
        assertThat(queues.enqueue(msg("once").build())).isTrue();
        assertThat(queues.enqueue(msg("once").priority(9).build())).isFalse();
        Claim c = queues.claimOne(q).orElseThrow();
        assertThat(queues.ack(c)).isTrue();
        assertThat(queues.enqueue(msg("once").build())).isFalse();
        assertThat(queues.enqueueAll(List.of(msg("once").build(), msg("two").build(), msg("two").build())))
                .containsExactly(false, true, false);
        assertThat(claimAllOneByOne()).containsExactly("two");
        assertThat(queues.find(q, "once")).map(MessageInfo::state).contains(MessageState.COMPLETED);
    }

    @Test
    void aDelayedMessageIsClaimableOnlyAfterItsNotBeforeTime() {
        queues.enqueue(msg("later").notBefore(Instant.now().plusMillis(400)).build());
        queues.enqueue(msg("now").build());
        assertThat(claimAllOneByOne()).containsExactly("now");
        assertThat(queues.stats(q).count(MessageState.DELAYED)).isEqualTo(1);
        Claim later = await().atMost(5, TimeUnit.SECONDS).until(() -> queues.claimOne(q), Optional::isPresent)
                .orElseThrow();
        assertThat(later.messageId()).isEqualTo("later");
        assertThat(later.enqueuedAt()).as("waits from the end of the delay").isAfter(Instant.now().minusMillis(300));
    }

    @Test
    void atMostOneMessagePerExclusiveKeyIsLeased() throws Exception {
        queues.enqueue(msg("k1-a").exclusiveKey("video-1").build());
        queues.enqueue(msg("k1-b").exclusiveKey("video-1").build());
        queues.enqueue(msg("k1-c").exclusiveKey("video-1").priority(9).build());
        queues.enqueue(msg("k2-a").exclusiveKey("video-2").build());
        queues.enqueue(msg("free").build());

        List<Claim> first = claimEverything();
        assertThat(first).extracting(Claim::messageId).containsExactlyInAnyOrder("k1-c", "k2-a", "free");

        Claim k1 = first.stream().filter(c -> c.messageId().equals("k1-c")).findFirst().orElseThrow();
        assertThat(queues.ack(k1)).isTrue();
        assertThat(claimEverything()).extracting(Claim::messageId).containsExactly("k1-a");
    }

    @Test
    void anExpiredLeaseRedeliversAndVoidsTheOldToken() throws Exception {
        queues.enqueue(msg("slow").build());
        Claim first = queues.claim(ClaimRequest.of(q).lease(Duration.ofMillis(200))).get(0);
        assertThat(first.message().attempts()).isEqualTo(1);
        assertThat(first.leaseExpiry()).isBefore(Instant.now().plusMillis(250));

        Claim second = await().atMost(5, TimeUnit.SECONDS).until(() -> queues.claimOne(q), Optional::isPresent)
                .orElseThrow();
        assertThat(second.messageId()).isEqualTo("slow");
        assertThat(second.message().attempts()).isEqualTo(2);
        assertThat(queues.ack(first)).isFalse();
        assertThat(queues.ack(second)).isTrue();
        assertThat(meters.get("orrery.queue.redelivered").tag("queue", q.name()).counter().count()).isEqualTo(1);
    }

    @Test
    void anExtendedLeaseDoesNotExpire() throws Exception {
        queues.enqueue(msg("long").build());
        Claim c = queues.claim(ClaimRequest.of(q).lease(Duration.ofMillis(300))).get(0);
        Claim extended = queues.extend(c, Duration.ofSeconds(30)).orElseThrow();
        assertThat(extended.leaseExpiry()).isAfter(Instant.now().plusSeconds(20));
        // the original lease would have run out by now; the message must still be leased
        assertThat(queues.claim(ClaimRequest.of(q).waitUpTo(Duration.ofMillis(600)))).isEmpty();
        assertThat(queues.ack(extended)).isTrue();
    }

    @Test
    void tooManyAttemptsMoveTheMessageToTheDeadLettersFromWhereItCanBeReplayed() {
        queues.configure(q, QueueSettings.DEFAULTS.withMaxAttempts(2));
        queues.enqueue(msg("poison").build());
        assertThat(queues.nack(queues.claimOne(q).orElseThrow(), Duration.ZERO, "boom 1")).isTrue();
        Claim second = queues.claimOne(q).orElseThrow();
        assertThat(second.message().attempts()).isEqualTo(2);
        assertThat(queues.nack(second, Duration.ZERO, "boom 2")).isTrue();

        assertThat(queues.claimOne(q)).isEmpty();
        QueueStats stats = queues.stats(q);
        assertThat(stats.dead()).isEqualTo(1);
        assertThat(queues.browse(q, MessageState.DEAD, 10)).singleElement()
                .satisfies(i -> assertThat(i.lastError()).isEqualTo("boom 2"));

        assertThat(queues.replayDead(q, 100)).isEqualTo(1);
        Claim replayed = queues.claimOne(q).orElseThrow();
        assertThat(replayed.messageId()).isEqualTo("poison");
        assertThat(replayed.message().attempts()).isEqualTo(1);
        assertThat(queues.ack(replayed)).isTrue();
        assertThat(queues.stats(q).dead()).isZero();
    }

    @Test
    void anExpiredLeaseOnTheLastAttemptDiesWithoutAnyClaim() {
        queues.configure(q, QueueSettings.DEFAULTS.withMaxAttempts(1).withLeaseTime(Duration.ofMillis(150)));
        queues.enqueue(msg("once-only").build());
        assertThat(queues.claimOne(q)).isPresent();
        // nobody claims again: the owner's lease reaper must move it to the dead letters
        await().atMost(5, TimeUnit.SECONDS).until(() -> queues.stats(q).dead() == 1);
        assertThat(queues.find(q, "once-only")).map(MessageInfo::lastError).contains("lease expired");
    }

    @Test
    void aNackWithDelayWaitsBeforeTheRetry() {
        queues.enqueue(msg("retry").build());
        Claim c = queues.claimOne(q).orElseThrow();
        assertThat(queues.nack(c, Duration.ofMillis(300), "busy")).isTrue();
        assertThat(queues.claimOne(q)).isEmpty();
        assertThat(queues.find(q, "retry")).map(MessageInfo::state).contains(MessageState.DELAYED);
        await().atMost(5, TimeUnit.SECONDS).until(() -> queues.claimOne(q).isPresent());
    }

    @Test
    void rejectDeadLettersAtOnce() {
        queues.enqueue(msg("bad").build());
        assertThat(queues.reject(queues.claimOne(q).orElseThrow(), "cannot parse")).isTrue();
        assertThat(queues.stats(q).dead()).isEqualTo(1);
    }

    @Test
    void cancelRemovesPendingAndVoidsLeasedMessages() {
        queues.enqueue(msg("pending").build());
        queues.enqueue(msg("leased").priority(9).build());
        Claim leased = queues.claimOne(q).orElseThrow();
        assertThat(queues.cancel(q, "pending")).isTrue();
        assertThat(queues.cancel(q, "leased")).isTrue();
        assertThat(queues.cancel(q, "unknown")).isFalse();
        assertThat(queues.ack(leased)).isFalse();
        assertThat(queues.claimOne(q)).isEmpty();
        assertThat(queues.find(q, "pending")).map(MessageInfo::state).contains(MessageState.CANCELLED);
    }

    @Test
    void purgeDropsEverythingUnfinished() {
        queues.configure(q, QueueSettings.DEFAULTS.withMaxAttempts(1));
        for (int i = 0; i < 20; i++) {
            queues.enqueue(msg("m" + i).notBefore(i % 2 == 0 ? null : Instant.now().plusSeconds(60)).build());
        }
        queues.reject(queues.claimOne(q).orElseThrow(), "dead");
        queues.claimOne(q).orElseThrow();
        assertThat(queues.purge(q)).isEqualTo(20);
        QueueStats stats = queues.stats(q);
        assertThat(stats.depth()).isZero();
        assertThat(stats.dead()).isZero();
        assertThat(queues.enqueue(msg("m3").build())).as("purged ids may come again").isTrue();
    }

    @Test
    void statsShowDepthByStateAndPriority() {
        queues.enqueue(msg("a").priority(9).build());
        queues.enqueue(msg("b").priority(9).build());
        queues.enqueue(msg("c").priority(2).build());
        queues.enqueue(msg("d").notBefore(Instant.now().plusSeconds(60)).build());
        queues.claimOne(q).orElseThrow();
        QueueStats stats = queues.stats(q);
        assertThat(stats.count(MessageState.PENDING)).isEqualTo(2);
        assertThat(stats.count(MessageState.DELAYED)).isEqualTo(1);
        assertThat(stats.inFlight()).isEqualTo(1);
        assertThat(stats.pendingByPriority()).containsEntry(9, 1L).containsEntry(2, 1L).hasSize(2);
        assertThat(stats.oldestPendingAge()).isPositive();
        assertThat(queues.queues()).contains(q);
        assertThat(queues.browse(q, MessageState.PENDING, 10)).extracting(i -> i.message().id())
                .containsExactly("b", "c");
    }

    @Test
    void theTraceAndPayloadTravelWithTheMessage() {
        TraceContext trace = TraceContext.newTrace();
        queues.enqueue(msg("traced").trace(trace).payload("{\"x\":1}".getBytes(StandardCharsets.UTF_8)).build());
        Claim c = queues.claimOne(q).orElseThrow();
        assertThat(c.message().trace()).isEqualTo(trace);
        assertThat(new String(c.message().payload(), StandardCharsets.UTF_8)).isEqualTo("{\"x\":1}");
        assertThat(c.message().tenant()).isEqualTo("acme");
        assertThat(meters.get("orrery.queue.wait").tag("queue", q.name()).timer().count()).isEqualTo(1);
    }

    @Test
    void aWaitingClaimWakesUpWhenAMessageArrives() throws Exception {
        CompletableFuture<List<Claim>> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return queues.claim(ClaimRequest.of(q).waitUpTo(Duration.ofSeconds(10)));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().pollDelay(Duration.ofMillis(100)).until(() -> !waiting.isDone());
        long sent = System.nanoTime();
        queues.enqueue(msg("wake").build());
        List<Claim> got = waiting.get(5, TimeUnit.SECONDS);
        assertThat(got).extracting(Claim::messageId).containsExactly("wake");
        // woken by the arrival, not by the end of its 10 s wait (the bound leaves room for a busy machine)
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aWildcardClaimServesTheQueueOfEveryTenant() throws Exception {
        String name = "shared-" + UUID.randomUUID().toString().substring(0, 8);
        queues.enqueue(QueueMessage.builder(QueueId.of("t1", name)).id("from-t1").build());
        queues.enqueue(QueueMessage.builder(QueueId.of("t2", name)).id("from-t2").build());
        List<Claim> got = queues.claim(ClaimRequest.of(QueueId.anyTenant(name)).max(10));
        assertThat(got).extracting(c -> c.message().tenant() + ":" + c.messageId())
                .containsExactlyInAnyOrder("t1:from-t1", "t2:from-t2");
        assertThat(queues.ackAll(got)).isEqualTo(2);
    }

    @Test
    void metricsCountWhatHappened() {
        queues.enqueue(msg("m1").build());
        queues.enqueue(msg("m1").build());
        queues.ack(queues.claimOne(q).orElseThrow());
        assertThat(meters.get("orrery.queue.enqueued").tag("queue", q.name()).counter().count()).isEqualTo(1);
        assertThat(meters.get("orrery.queue.duplicates").tag("queue", q.name()).counter().count()).isEqualTo(1);
        assertThat(meters.get("orrery.queue.claimed").tag("queue", q.name()).counter().count()).isEqualTo(1);
        assertThat(meters.get("orrery.queue.acked").tag("queue", q.name()).counter().count()).isEqualTo(1);
        assertThat(meters.get("orrery.queue.depth").tag("queue", q.name()).tag("state", "pending").gauge()
                .value()).isZero();
    }
}
