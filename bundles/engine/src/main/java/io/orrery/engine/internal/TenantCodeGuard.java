package io.orrery.engine.internal;

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
 * {@link TimeLimitExceeded}. Registering a section costs two volatile writes, not a thread hop, which matters
 * at tens of thousands of matches per second.
 */
public final class TenantCodeGuard implements AutoCloseable {

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
     * Runs the section of the rule; throws {@link TimeLimitExceeded} if it overran, or whatever it threw. The names
     * make the message only when it is needed: this runs for every match of every instance.
     */
    public <T> T run(String rule, String part, Duration limit, Callable<T> section) throws Exception {
        Slot s = slot.get();
        if (s.state.get() != IDLE) {
            return section.call(); // nested (a function stub calling back): the outer limit applies
        }
        s.deadline = System.nanoTime() + limit.toNanos();
        s.state.set(RUNNING);
        boolean overran = false;
        try {
            return section.call();
        } catch (InterruptedException e) {
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
            LockSupport.parkNanos(2_000_000);
            long now = System.nanoTime();
            for (Slot s : slots) {
                if (!s.thread.isAlive()) {
                    slots.remove(s);
                } else if (s.state.get() == RUNNING && now - s.deadline > 0
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

    private static final class Slot {
        final Thread thread;
        final AtomicInteger state = new AtomicInteger(IDLE);
        volatile long deadline;

        Slot(Thread thread) {
            this.thread = thread;
        }
    }
}
