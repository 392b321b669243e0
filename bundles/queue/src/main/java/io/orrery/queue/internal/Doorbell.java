package io.orrery.queue.internal;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.Message;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes waiting claimers when a shard turns claimable, so consumers block instead of spinning, and tells other
 * members when a shard's head became more urgent, so their claimers look at it again instead of trusting the view
 * they chose by. On this member a generation counter and a condition; across members a topic carrying the shard
 * key, published only when the shard's head improved (from nothing claimable to something, or a more urgent
 * message at its head; not per message) and only when there are other members.
 */
final class Doorbell implements AutoCloseable {

    static final String TOPIC = "orrery.queue.doorbell";

    private final HazelcastInstance hz;
    private final ShardViews views;
    private final ITopic<String> topic;
    private final UUID registration;
    private final AtomicLong generation = new AtomicLong();
    private final AtomicInteger waiters = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition rung = lock.newCondition();

    Doorbell(HazelcastInstance hz, ShardViews views) {
        this.hz = hz;
        this.views = views;
        this.topic = hz.getTopic(TOPIC);
        this.registration = topic.addMessageListener(this::heard);
    }

    long generation() {
        return generation.get();
    }

    /** Waits until the bell rings after {@code seen} was read, or {@code nanos} pass. */
    void await(long seen, long nanos) throws InterruptedException {
        lock.lock();
        waiters.incrementAndGet();
        try {
            while (generation.get() == seen && nanos > 0) {
                nanos = rung.awaitNanos(nanos);
            }
        } finally {
            waiters.decrementAndGet();
            lock.unlock();
        }
    }

    /** A shard's head improved through this member (it turned claimable, or a more urgent message heads it). */
    void ring(String shardKey) {
        ringHere();
        if (hz.getCluster().getMembers().size() > 1) {
            topic.publishAsync(shardKey);
        }
    }

    void ringHere() {
        generation.incrementAndGet();
        if (waiters.get() > 0) {
            lock.lock();
            try {
                rung.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private void heard(Message<String> m) {
        Member from = m.getPublishingMember();
        if (from != null && from.localMember()) {
            return;
        }
        views.hint(m.getMessageObject());
        ringHere();
    }

    @Override
    public void close() {
        topic.removeMessageListener(registration);
    }
}
