package io.orrery.queue.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orrery.api.queue.Claim;
import io.orrery.api.queue.ClaimRequest;
import io.orrery.api.queue.QueueId;
import io.orrery.api.queue.QueueMessage;
import io.orrery.api.queue.QueueSettings;
import io.orrery.cluster.testing.LoopbackMembers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three real members on loopback; one is terminated (not shut down) while 10,000 messages are being produced,
 * claimed and acked. Every message must be acked exactly once by the consumers' own count, and none lost.
 *
 * <p>The victim's consumers are stuck workers: they claim and never ack, so at the kill they hold leased
 * messages that must come back after their lease. (A consumer that dies in the middle of an ack cannot know
 * whether it took effect; giving the victim's consumers only claims keeps the consumers' count decidable.)
 */
class ClusterFailoverIT {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterFailoverIT.class);
    private static final int MESSAGES = 10_000;

    private final List<HazelcastInstance> members = new ArrayList<>();
    private final List<ShardedQueueService> services = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(5000);
        }
        services.forEach(ShardedQueueService::close);
        members.forEach(m -> m.getLifecycleService().terminate());
    }

    @Test
    void killingAMemberLosesNothingAndEveryMessageIsAckedExactlyOnce() throws Exception {
        LoopbackMembers cluster = QueueMembers.of(3);
        for (int i = 0; i < 3; i++) {
            members.add(cluster.start(i));
        }
        await().atMost(30, TimeUnit.SECONDS).until(() -> members.get(0).getCluster().getMembers().size() == 3);
        QueueOptions options = QueueOptions.DEFAULTS.withPersistence(QueueOptions.Persistence.NONE)
                .withDefaults(new QueueSettings(Duration.ofSeconds(2), 1000, Duration.ZERO));
        for (HazelcastInstance m : members) {
            services.add(ShardedQueueService.start(m, options, new SimpleMeterRegistry(), null));
        }
        QueueId q = QueueId.of("acme", "failover");
        Map<String, AtomicInteger> acks = new ConcurrentHashMap<>();
        AtomicLong acked = new AtomicLong();
        AtomicLong redelivered = new AtomicLong();
        AtomicInteger held = new AtomicInteger();

        thread("producer", () -> produce(services.get(0), q));
        for (int m = 0; m < 2; m++) {
            ShardedQueueService service = services.get(m);
            for (int t = 0; t < 2; t++) {
                thread("consumer-" + m + "-" + t, () -> consume(service, q, acks, acked, redelivered));
            }
        }
        ShardedQueueService victim = services.get(2);
        thread("stuck-consumer", () -> hold(victim, q, held));

        await().atMost(60, TimeUnit.SECONDS).until(() -> acked.get() >= MESSAGES / 2 && held.get() > 0);
        LOG.info("terminating member 2 with {} acked, {} held by its stuck consumer", acked.get(), held.get());
        members.get(2).getLifecycleService().terminate();

        await().atMost(90, TimeUnit.SECONDS).until(() -> acks.size() == MESSAGES);
        await().pollDelay(Duration.ofSeconds(3)).atMost(10, TimeUnit.SECONDS).until(() -> true);
        assertThat(acks).hasSize(MESSAGES);
        assertThat(acks.entrySet()).allSatisfy(e ->
                assertThat(e.getValue().get()).as("acks of %s", e.getKey()).isEqualTo(1));
        assertThat(acked.get()).isEqualTo(MESSAGES);
        assertThat(redelivered.get()).as("the victim's leased messages came back").isPositive();
        assertThat(services.get(0).stats(q).depth()).isZero();
        LOG.info("all {} acked exactly once; {} redelivered", MESSAGES, redelivered.get());
    }

    private void produce(ShardedQueueService service, QueueId q) {
        int sent = 0;
        while (sent < MESSAGES && running.get()) {
            List<QueueMessage> batch = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                batch.add(QueueMessage.builder(q).id("m" + (sent + i)).payload(new byte[64]).build());
            }
            try {
                service.enqueueAll(batch); // a retried enqueue answers "duplicate": the message is there either way
                sent += batch.size();
            } catch (RuntimeException e) {
                LOG.info("producer: {} (retrying the batch)", e.toString());
            }
        }
    }

    private void consume(ShardedQueueService service, QueueId q, Map<String, AtomicInteger> acks, AtomicLong acked,
                         AtomicLong redelivered) {
        while (running.get()) {
            try {
                for (Claim c : service.claim(ClaimRequest.of(q).max(20).waitUpTo(Duration.ofMillis(200)))) {
                    if (c.message().attempts() > 1) {
                        redelivered.incrementAndGet();
                    }
                    if (service.ack(c)) {
                        acks.computeIfAbsent(c.messageId(), k -> new AtomicInteger()).incrementAndGet();
                        acked.incrementAndGet();
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.info("consumer: {}", e.toString()); // operations during the failover; the loop carries on
            }
        }
    }

    private void hold(ShardedQueueService service, QueueId q, AtomicInteger held) {
        while (running.get()) {
            try {
                held.addAndGet(service.claim(ClaimRequest.of(q).max(5).waitUpTo(Duration.ofMillis(200))).size());
                Thread.sleep(100); // paces a holder that claims and never acks; no test step waits on it
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                return; // its member is gone
            }
        }
    }

    private void thread(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        threads.add(t);
    }
}
