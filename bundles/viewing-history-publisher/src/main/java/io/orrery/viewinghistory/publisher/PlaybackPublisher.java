package io.orrery.viewinghistory.publisher;

import io.orrery.viewinghistory.publisher.internal.ClusterLink;
import io.orrery.viewinghistory.publisher.internal.Failover;
import java.util.Set;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes playback events to Kafka without ever making the caller wait for a broker.
 *
 * <p>{@link #publish} only takes the event into a bounded buffer; one sender thread hands it to the producer of the
 * cluster in use. An event holds its place in the buffer until a broker acknowledged it (or it was given up on),
 * so the buffer's capacity is the worst case of events lost if this process dies, and a full buffer refuses new
 * events, counted as dropped. Critical events go with {@code acks=all} and idempotence; when the primary cluster
 * cannot take them they are sent again to the backup cluster, which then takes every event until the primary
 * answers a probe again. Non-critical events are sent once, to whichever cluster is in use.
 *
 * <p>Every accepted event is counted once, as sent or failed: by the sender when a broker answers, or by
 * {@link #close()} for what it could not send in time, whichever comes first.
 *
 * <p>Usable outside Karaf: it needs only kafka-clients and slf4j.
 */
public final class PlaybackPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PlaybackPublisher.class);

    private final PublisherSettings settings;
    private final Semaphore room;
    private final BlockingDeque<Pending> buffer = new LinkedBlockingDeque<>();
    private final Failover failover;
    private final Thread sender;
    private final LongAdder accepted = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder sentToBackup = new LongAdder();
    /** The tickets of accepted events not counted yet: what {@link #close()} gives up on when it cannot wait longer. */
    private final Set<AtomicBoolean> uncounted = ConcurrentHashMap.newKeySet();
    /** Publishes share it; close takes it alone, so no event is accepted after close has looked at what is left. */
    private final ReadWriteLock closing = new ReentrantReadWriteLock();
    private volatile boolean closed;

    /** An accepted event; {@code counted} is its ticket, shared by its resends, set by whoever counts it. */
    private record Pending(String topic, byte[] value, boolean critical, int attempts, AtomicBoolean counted) {
        Pending again() {
            return new Pending(topic, value, critical, attempts + 1, counted);
        }
    }

    public PlaybackPublisher(PublisherSettings settings) {
        this.settings = settings;
        this.room = new Semaphore(settings.bufferCapacity());
        ClusterLink primary = new ClusterLink("primary", settings.primary(), settings.deliveryTimeout(),
                settings.producer());
        ClusterLink backup = settings.hasBackup() ? new ClusterLink("backup", settings.backup(),
                settings.deliveryTimeout(), settings.producer()) : null;
        this.failover = new Failover(primary, backup, settings.probeInterval());
        this.sender = new Thread(this::sendLoop, "orrery-vh-publisher");
        sender.setDaemon(true);
        sender.start();
    }

    /**
     * Takes one event (its JSON) for publishing; false when the buffer is full or the publisher closed, and the
     * event was dropped (and counted). Never waits for a broker (only, at most, for close to mark the publisher closed).
     */
    public boolean publish(byte[] value, boolean critical) {
        return publish(settings.topic(), value, critical);
    }

    /**
     * As {@link #publish(byte[], boolean)}, to another topic of the same clusters (a region router's forwarding
     * topic, say).
     */
    public boolean publish(String topic, byte[] value, boolean critical) {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("topic: required");
        }
        closing.readLock().lock();
        try {
            if (closed || !room.tryAcquire()) {
                dropped.increment();
                return false;
            }
            AtomicBoolean ticket = new AtomicBoolean();
            uncounted.add(ticket);
            accepted.increment();
            buffer.offer(new Pending(topic, value, critical, 0, ticket));
            return true;
        } finally {
            closing.readLock().unlock();
        }
    }

    public PublisherCounters counters() {
        long a = accepted.sum();
        long s = sent.sum();
        long f = failed.sum();
        return new PublisherCounters(a, s, f, dropped.sum(), a - s - f, sentToBackup.sum(), failover.onBackup());
    }

    public PublisherSettings settings() {
        return settings;
    }

    private void sendLoop() {
        while (!closed || !buffer.isEmpty()) {
            Pending next;
            try {
                next = buffer.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (next != null) {
                send(next);
            }
        }
    }

    private void send(Pending event) {
        if (event.counted().get()) {
            return; // given up on by close() while it waited here
        }
        ClusterLink link = failover.linkFor(event.critical());
        try {
            link.producer(event.critical()).send(new ProducerRecord<>(event.topic(), null, event.value()),
                    (metadata, failure) -> {
                        if (failure == null) {
                            delivered(event, link);
                        } else {
                            undelivered(event, link, failure);
                        }
                    });
        } catch (RuntimeException failure) {
            // send() itself gives up when it cannot get the topic's metadata within max.block.ms
            undelivered(event, link, failure);
        }
    }

    private void delivered(Pending event, ClusterLink link) {
        if (!count(event.counted())) {
            return;
        }
        sent.increment();
        if (failover.isBackup(link)) {
            sentToBackup.increment();
        }
    }

    private void undelivered(Pending event, ClusterLink link, Exception failure) {
        failover.failed(link, failure);
        if (event.critical() && event.attempts() + 1 < settings.criticalAttempts() && !closed) {
            buffer.offerFirst(event.again());
            return;
        }
        if (count(event.counted())) {
            failed.increment();
            LOG.warn("Playback event given up after {} attempt(s) on the {} cluster: {}", event.attempts() + 1,
                    link.name(), failure.toString());
        }
    }

    /** Takes the event's ticket and frees its room; false when it was counted already (by close or the sender). */
    private boolean count(AtomicBoolean ticket) {
        if (!ticket.compareAndSet(false, true)) {
            return false;
        }
        uncounted.remove(ticket);
        room.release();
        return true;
    }

    /**
     * Stops taking events, sends what the buffer holds (within the delivery timeout) and closes the producers; what
     * no broker acknowledged by then is counted as failed.
     */
    @Override
    public void close() {
        closing.writeLock().lock();
        try {
            closed = true;
        } finally {
            closing.writeLock().unlock();
        }
        // An interrupted caller (a shutdown that interrupts) gets no wait for the sender; its interrupt is set aside
        // while the producers close, since their close throws on an interrupted thread and would leave them open and
        // the buffered events uncounted, and is set again after.
        boolean interrupted = Thread.interrupted();
        try {
            if (!interrupted) {
                sender.join(settings.deliveryTimeout().toMillis() * 2);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        sender.interrupt();
        try {
            failover.close(); // the producers answer every send they still held before this returns
        } finally {
            giveUpUncounted();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void giveUpUncounted() {
        int givenUp = 0;
        for (AtomicBoolean ticket : uncounted) {
            if (count(ticket)) {
                failed.increment();
                givenUp++;
            }
        }
        if (givenUp > 0) {
            LOG.warn("{} playback event(s) given up at close: no broker acknowledged them in time", givenUp);
        }
    }
}
