package io.orrery.functions.host;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches the call the reading thread runs inline. One seen running on two ticks in a row (so for at least a budget)
 * loses the reader's turn: the turn is taken from it atomically, so either the call ends in time and its thread
 * reads on, or {@code takeOver} starts another reader and the call's thread, when it ends, answers and leaves. Ticks
 * once per budget while calls come; dozes when none has come for a while, and the next call wakes it.
 */
final class ReaderWatch {

    /** Quiet ticks before dozing. */
    private static final int DOZE_AFTER = 64;

    private final long budgetNanos;
    private final Runnable takeOver;
    /** The turn of the call running inline now; 0 while none is. */
    private final AtomicLong inline = new AtomicLong();
    /** The last turn begun (the reading thread's; handed over with the turn). */
    private long turns;
    private volatile long lastTurn;
    private volatile boolean dozing;
    private volatile boolean stopped;
    private final Thread thread;

    ReaderWatch(Duration budget, Runnable takeOver) {
        this.budgetNanos = budget.toNanos();
        this.takeOver = takeOver;
        this.thread = new Thread(this::watch, "function-reader-watch");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
    }

    /** The reading thread is about to run a call inline: its turn, for {@link #end}. */
    long begin() {
        long turn = ++turns;
        inline.set(turn);
        lastTurn = turn;
        if (dozing) {
            LockSupport.unpark(thread);
        }
        return turn;
    }

    /** The inline call ended: true if its thread still has the reading turn, false if another reads now. */
    boolean end(long turn) {
        return inline.compareAndSet(turn, 0);
    }

    private void watch() {
        long seen = 0;
        long seenTurn = 0;
        int quiet = 0;
        while (!stopped) {
            long now = inline.get();
            if (now != 0 && now == seen) {
                if (inline.compareAndSet(now, 0)) {
                    try {
                        takeOver.run();
                    } catch (RuntimeException e) {
                        HostLog.warn("no thread to read on after a slow call", e); // only while stopping
                    }
                }
                now = 0;
            }
            seen = now;
            long last = lastTurn;
            quiet = now == 0 && last == seenTurn ? quiet + 1 : 0;
            seenTurn = last;
            if (quiet < DOZE_AFTER) {
                LockSupport.parkNanos(this, budgetNanos);
            } else {
                doze(last);
                quiet = 0;
            }
        }
    }

    // Whichever comes second, a call's begin or this, sees the other: no call runs unwatched.
    private void doze(long last) {
        dozing = true;
        if (inline.get() == 0 && lastTurn == last && !stopped) {
            LockSupport.park(this);
        }
        dozing = false;
    }
}
