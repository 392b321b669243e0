package io.orrery.functions.internal.host;

import java.util.concurrent.atomic.AtomicLong;

/** How a tenant's hosts came and went: counted where they start and where they are taken out, without a lock. */
final class HostTally {

    private final AtomicLong started = new AtomicLong();
    private final AtomicLong stopped = new AtomicLong();
    private final AtomicLong killed = new AtomicLong();
    private final AtomicLong died = new AtomicLong();

    void started() {
        started.incrementAndGet();
    }

    /** Hosts the node stopped in order. */
    void stopped(int hosts) {
        stopped.addAndGet(hosts);
    }

    /** A host that ended is taken out (by exactly one taker): the node's kill, or its own end. */
    void ended(HostProcess p) {
        (p.killed() ? killed : died).incrementAndGet();
    }

    long startedCount() {
        return started.get();
    }

    long stoppedCount() {
        return stopped.get();
    }

    long killedCount() {
        return killed.get();
    }

    long diedCount() {
        return died.get();
    }
}
