package io.orrery.functions.internal.worker;

import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs work on the calling thread and interrupts that thread if the work outlives its timeout: the timeout of a
 * function that ends on interrupt ({@code OrreryFunction.endsOnInterrupt()}), without a second thread per call. An
 * alarm that fired is always answered with a {@link TimeoutException}, whatever the work then threw or returned,
 * and its interrupt never outlives the call: the thread goes back to its pool clean.
 */
final class InterruptAlarm implements AutoCloseable {

    private static final int RUNNING = 0;
    private static final int DONE = 1;
    private static final int FIRING = 2;
    private static final int FIRED = 3;

    private final ScheduledThreadPoolExecutor alarms;

    InterruptAlarm(ScheduledThreadPoolExecutor alarms) {
        this.alarms = alarms;
        // A call that ends in time takes its alarm out: cancelled alarms would otherwise wait out their delay.
        alarms.setRemoveOnCancelPolicy(true);
    }

    <T> T run(long timeoutMs, String what, Callable<T> work) throws Exception {
        Thread caller = Thread.currentThread();
        AtomicInteger state = new AtomicInteger(RUNNING);
        ScheduledFuture<?> alarm = alarms.schedule(() -> {
            if (state.compareAndSet(RUNNING, FIRING)) {
                caller.interrupt();
                state.set(FIRED);
            }
        }, timeoutMs, TimeUnit.MILLISECONDS);
        T out;
        try {
            out = work.call();
        } catch (Exception e) {
            if (ended(state, alarm)) {
                throw e;
            }
            throw timedOut(what, timeoutMs, e);
        }
        if (!ended(state, alarm)) {
            throw timedOut(what, timeoutMs, null);
        }
        return out;
    }

    // True if the work ended before its alarm; else waits for the alarm's interrupt to land and takes it back.
    private static boolean ended(AtomicInteger state, ScheduledFuture<?> alarm) {
        if (state.compareAndSet(RUNNING, DONE)) {
            alarm.cancel(false);
            return true;
        }
        while (state.get() != FIRED) {
            Thread.onSpinWait();
        }
        Thread.interrupted();
        return false;
    }

    private static TimeoutException timedOut(String what, long timeoutMs, Exception cause) {
        TimeoutException e = new TimeoutException(what + " timed out after " + timeoutMs + " ms");
        if (cause != null) {
            e.addSuppressed(cause);
        }
        return e;
    }

    @Override
    public void close() {
        alarms.shutdownNow();
    }
}
