package io.orrery.engine.internal;

import io.orrery.api.engine.EngineStoppedException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs tenant code (a match, an action, a reaction) under a time limit on the calling thread, which is one of the
 * engine's bounded evaluation lanes. A watchdog thread interrupts a thread whose section overruns; the interrupt
 * checks the Emirax compiler injected into every loop, closure and method then throw, and the section fails with
 * {@link TimeLimitExceeded}. Registering a section costs three volatile writes, not a thread hop, which matters
 * at tens of thousands of matches per second. An interrupt that is not the watchdog's comes from the lanes stopping:
 * the section fails with {@link EngineStoppedException}, not as an overrun (which would count it, and log it, as
 * the tenant's fault).
 *
 * <p>The limit counts the CPU the section uses, read by the watchdog from the time it first sees the section running
 * (within one poll of its start): a section a busy machine did not run, in a long GC pause or behind more runnable
 * threads than cores, is not failed for the machine's delay, since the instance would stay failed. A section off the
 * CPU (blocked, or where the thread's CPU time cannot be read) is stopped once it has run for ten times its limit.
 */
public final class TenantCodeGuard implements AutoCloseable {

    private static final long POLL_NANOS = 2_000_000;
    private static final int WALL_CLOCK_FACTOR = 10;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static final int IDLE = 0;
    private static final int RUNNING = 1;
    private static final int INTERRUPTING = 2;
    private static final int INTERRUPTED = 3;

    private final Set<Slot> slots = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<Slot> slot = ThreadLocal.withInitial(this::newSlot);
    private final Thread watchdog;
    private volatile boolean closed;

    public TenantCodeGuard() {
        watchdog = new Thread(this::watch, "orrery-engine-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /**
     * Runs the section of the rule; throws {@link TimeLimitExceeded} if it overran, {@link EngineStoppedException}
     * if the lanes stopping interrupted it, or whatever it threw. The names make the message only when it is needed:
     * this runs for every match of every instance.
     */
    public <T> T run(String rule, String part, Duration limit, Callable<T> section) throws Exception {
        Slot s = slot.get();
        if (s.state.get() != IDLE) {
            return section.call(); // nested (a function stub calling back): the outer limit applies
        }
        s.limit = limit.toNanos();
        s.started = System.nanoTime();
        s.state.set(RUNNING);
        boolean overran = false;
        try {
            return section.call();
        } catch (InterruptedException e) {
            if (s.state.get() == RUNNING) {
                // Not the watchdog's interrupt: the lanes are stopping (shutdownNow). The section did not overrun, and
                // the event it belongs to is not saved; the lane keeps its interrupt to stop by.
                Thread.currentThread().interrupt();
                throw new EngineStoppedException("rule '" + rule + "' " + part
                        + " was interrupted: the engine stopped; the event was not saved");
            }
            overran = true;
            throw new TimeLimitExceeded("rule '" + rule + "' " + part, limit);
        } finally {
            if (!s.state.compareAndSet(RUNNING, IDLE)) {
                while (s.state.get() == INTERRUPTING) {
                    Thread.onSpinWait();
                }
                s.state.set(IDLE);
                Thread.interrupted(); // the interrupt was for this section only
                if (!overran) {
                    // The section caught the interrupt itself or finished just as the limit struck: still an overrun.
                    throw new TimeLimitExceeded("rule '" + rule + "' " + part, limit);
                }
            }
        }
    }

    private Slot newSlot() {
        Slot s = new Slot(Thread.currentThread());
        slots.add(s);
        return s;
    }

    private void watch() {
        while (!closed) {
            LockSupport.parkNanos(POLL_NANOS);
            long now = System.nanoTime();
            for (Slot s : slots) {
                if (!s.thread.isAlive()) {
                    slots.remove(s);
                } else if (s.state.get() == RUNNING && s.overran(now)
                        && s.state.compareAndSet(RUNNING, INTERRUPTING)) {
                    s.thread.interrupt();
                    s.state.set(INTERRUPTED);
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    /** A thread's CPU time in nanoseconds, or -1 when it cannot be read. */
    private static long cpuTime(Thread t) {
        try {
            return THREADS.getThreadCpuTime(t.getId());
        } catch (UnsupportedOperationException e) {
            return -1;
        }
    }

    /** A lane thread's section: written by the lane as a section starts, watched by the watchdog alone. */
    private static final class Slot {
        final Thread thread;
        final AtomicInteger state = new AtomicInteger(IDLE);
        volatile long started;
        volatile long limit;
        // The watchdog's own reading of the section it last saw; no other thread touches these.
        private long sightedStart;
        private long sightedAt;
        private long cpuAtSight = -1;

        Slot(Thread thread) {
            this.thread = thread;
        }

        /**
         * Whether the running section has used its limit of CPU since the watchdog first saw it, or has run for ten
         * times its limit. The thread's CPU is read once at first sight and then only once the section has run for
         * its limit of wall-clock time (it cannot have used more CPU than that), so short sections cost no reading.
         */
        boolean overran(long now) {
            long start = started;
            long max = limit;
            if (now - start >= max * WALL_CLOCK_FACTOR) {
                return true;
            }
            if (start != sightedStart) {
                sightedStart = start;
                sightedAt = now;
                cpuAtSight = cpuTime(thread);
                return false;
            }
            if (now - sightedAt < max) {
                return false;
            }
            long cpu = cpuAtSight < 0 ? -1 : cpuTime(thread);
            return cpu < 0 ? now - start >= max : cpu - cpuAtSight >= max;
        }
    }
}
