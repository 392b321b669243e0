package io.orrery.viewinghistory.internal.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orrery.api.queue.MessageInfo;
import io.orrery.api.queue.MessageState;
import io.orrery.api.queue.QueueMessage;
import io.orrery.cluster.ClusterMembers;
import io.orrery.cluster.MemberSettings;
import io.orrery.cluster.testing.LoopbackMembers;
import io.orrery.queue.internal.QueueOptions;
import io.orrery.queue.internal.ShardedQueueService;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The delay queue on the real queue service (one Hazelcast member): a failing event gets exactly the processing
 * attempts {@link ProcessorSettings#maxAttempts()} allows, the first included, and then lies dead with its error.
 */
class DelayQueueIT {

    private static final byte[] RECORD = "{\"eventId\":\"e1\"}".getBytes(StandardCharsets.UTF_8);

    private static HazelcastInstance member;
    private static ShardedQueueService queues;

    private final AtomicInteger retries = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        String cluster = "orrery-vh-delay-" + UUID.randomUUID();
        member = LoopbackMembers.onFreePort(port -> ClusterMembers.start(new MemberSettings(cluster, port,
                List.of("127.0.0.1:" + port), "127.0.0.1", 0, 0)));
        queues = ShardedQueueService.start(member, QueueOptions.DEFAULTS.withPersistence(QueueOptions.Persistence.NONE),
                new SimpleMeterRegistry(), null);
    }

    @AfterAll
    static void stop() {
        if (queues != null) {
            queues.close();
        }
        if (member != null) {
            member.shutdown();
        }
    }

    @Test
    void withOneAttemptTheFailedEventIsDeadWithItsErrorAndNeverProcessedAgain() throws Exception {
        DelayQueue delays = delays("vh-one-attempt", 1);

        delays.defer("e1", RECORD, new IllegalStateException("store unavailable"));

        MessageInfo dead = awaitDead(delays);
        assertThat(retries).hasValue(0);
        assertThat(dead.message().id()).isEqualTo("e1@" + DelayQueue.digest(RECORD));
        assertThat(dead.message().payload()).isEqualTo(RECORD);
        assertThat(dead.lastError()).contains("store unavailable");
        assertThat(delays.counters()).containsEntry("deadLettered", 1L).containsEntry("retried", 0L)
                .containsEntry("waiting", 0L).containsEntry("dead", 1L);

        // a replay is the operator asking for one more attempt: it gets it
        assertThat(queues.replayDead(delays.queue(), 10)).isEqualTo(1);
        awaitDead(delays);
        assertThat(retries).hasValue(1);
    }

    @Test
    void withThreeAttemptsTheFailedEventIsRetriedTwiceThenDeadWithTheLastError() throws Exception {
        DelayQueue delays = delays("vh-three-attempts", 3);

        delays.defer("e1", RECORD, new IllegalStateException("store unavailable"));

        MessageInfo dead = awaitDead(delays);
        assertThat(retries).hasValue(2);
        assertThat(dead.lastError()).isEqualTo("still failing 2");
        assertThat(delays.counters()).containsEntry("deadLettered", 1L).containsEntry("dead", 1L);
    }

    @Test
    void anotherEventCarryingTheSameIdIsKeptWhileARedeliveredFailureIsSetAsideOnce() throws Exception {
        DelayQueue delays = delays("vh-same-id", 3);
        byte[] other = "{\"eventId\":\"e1\",\"seq\":2}".getBytes(StandardCharsets.UTF_8);

        delays.defer("e1", RECORD, new IllegalStateException("store unavailable"));
        delays.defer("e1", other, new IllegalStateException("store unavailable"));
        delays.defer("e1", RECORD, new IllegalStateException("store unavailable"));   // the batch redelivered

        assertThat(delays.counters()).containsEntry("waiting", 2L);
        List<byte[]> processed = new java.util.concurrent.CopyOnWriteArrayList<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> {
            delays.retryDue(processed::add, 10, Duration.ZERO);
            return processed.size() >= 2 && delays.counters().get("waiting") == 0;
        });
        assertThat(processed).containsExactlyInAnyOrder(RECORD, other);
    }

    @Test
    void aRetryWhoseLastLeaseARestartLostIsProcessedNotDeadLetteredAsIfItNeverRan() throws Exception {
        DelayQueue delays = delays("vh-lease-lost", 3);

        // its second and last retry, claimed
        assertThat(timesProcessedAfterARestart(delays, 2)).isEqualTo(1);
        assertThat(queues.stats(delays.queue()).dead()).isZero();
    }

    @Test
    void withTwoAttemptsTheOneRetryWhoseLeaseARestartLostIsProcessedToo() throws Exception {
        DelayQueue delays = delays("vh-lease-lost-two", 2);

        // its one retry (queued with one attempt), claimed
        assertThat(timesProcessedAfterARestart(delays, 1)).isEqualTo(1);
        assertThat(queues.stats(delays.queue()).dead()).isZero();
    }

    /**
     * A retry queued with {@code attempts} attempts, all claimed, as a full restart brings it back: pending, its
     * attempts kept. How many times the retry loop then processes it before it is done or dead.
     */
    private int timesProcessedAfterARestart(DelayQueue delays, int attempts) {
        queues.enqueue(QueueMessage.builder(delays.queue()).id("e1").payload(RECORD).attempts(attempts)
                .maxAttempts(attempts).build());
        AtomicInteger processed = new AtomicInteger();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> {
            delays.retryDue(record -> processed.incrementAndGet(), 10, Duration.ZERO);
            return processed.get() > 0 || queues.stats(delays.queue()).dead() > 0;
        });
        return processed.get();
    }

    @Test
    void errorsOfEventsAnotherNodeDeadLetteredDoNotCrowdOutTheNewestOnes() throws Exception {
        DelayQueue here = delays("vh-crowded", 1);
        DelayQueue elsewhere = delays("vh-crowded", 1);   // another node's retry loop on the same queue
        for (int i = 0; i < 10_001; i++) {
            here.defer("old-" + i, RECORD, new IllegalStateException("old failure " + i));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            elsewhere.retryDue(record -> { }, 1000, Duration.ZERO);
            return queues.stats(here.queue()).dead() == 10_001;
        });

        here.defer("newest", RECORD, new IllegalStateException("the newest failure"));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            here.retryDue(record -> { }, 10, Duration.ZERO);
            return queues.stats(here.queue()).dead() == 10_002;
        });

        assertThat(queues.browse(here.queue(), MessageState.DEAD, 20_000)).filteredOn(m -> m.message().id()
                .startsWith("newest@")).singleElement().satisfies(m -> assertThat(m.lastError())
                .isEqualTo("the newest failure"));
    }

    private static DelayQueue delays(String name, int maxAttempts) {
        ProcessorSettings settings = ProcessorSettings.defaults()
                .withRetries(Duration.ofMillis(20), Duration.ofMillis(100), maxAttempts);
        return new DelayQueue(queues, settings, Clock.systemUTC(), name);
    }

    /** Drives the retry loop as the route does until the event lies dead. */
    private MessageInfo awaitDead(DelayQueue delays) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> {
            delays.retryDue(record -> {
                throw new IllegalStateException("still failing " + retries.incrementAndGet());
            }, 10, Duration.ZERO);
            return queues.stats(delays.queue()).dead() == 1;
        });
        return queues.browse(delays.queue(), MessageState.DEAD, 10).get(0);
    }
}
