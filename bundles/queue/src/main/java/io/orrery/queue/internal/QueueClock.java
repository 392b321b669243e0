package io.orrery.queue.internal;

import io.orrery.api.time.ClusterClock;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The queue's time, in epoch microseconds: the cluster's time, never the member's own clock. Leases, delays and
 * deadlines set on one member are judged on another; a member whose clock runs ahead would otherwise expire
 * leases others hold. The cluster's time has millisecond resolution, so the microseconds come from this
 * machine's clock, shifted by the difference between the two.
 */
final class QueueClock {

    private final Clock machine;
    private final ClusterClock cluster;
    private final AtomicLong lastStamp = new AtomicLong();

    /**
     * @param machine this member's own clock (the source of sub-millisecond precision only)
     * @param cluster the cluster's agreed time
     */
    QueueClock(Clock machine, ClusterClock cluster) {
        this.machine = machine;
        this.cluster = cluster;
    }

    /** Epoch micros, as the cluster tells the time. */
    long now() {
        long local = Micros.of(machine.instant());
        long offsetMillis = cluster.millis() - local / 1000;
        return local + offsetMillis * 1000;
    }

    /**
     * A FIFO stamp: the time, but strictly increasing on this member, so messages enqueued one after the other
     * keep their order even within one microsecond.
     */
    long stamp() {
        long now = now();
        return lastStamp.updateAndGet(last -> Math.max(last + 1, now));
    }
}
