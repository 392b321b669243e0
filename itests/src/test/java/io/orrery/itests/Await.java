package io.orrery.itests;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.function.Predicate;

/** Polls a condition until it holds or the time is up (Awaitility is not a bundle in the container). */
final class Await {

    private static final long POLL_INTERVAL_NANOS = 250_000_000L;

    private Await() {
    }

    static <T> T until(Duration timeout, Supplier<T> probe, Predicate<T> condition, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = probe.get();
        while (!condition.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last: " + last);
            }
            LockSupport.parkNanos(POLL_INTERVAL_NANOS);
            last = probe.get();
        }
        return last;
    }
}
