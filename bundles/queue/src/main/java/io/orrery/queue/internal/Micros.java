package io.orrery.queue.internal;

import io.orrery.queue.grid.Slot;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** Time as the shards keep it: epoch microseconds, {@link Slot#NONE} for "none". */
final class Micros {

    private static final AtomicLong LAST_STAMP = new AtomicLong();

    private Micros() {
    }

    static long now() {
        return of(Instant.now());
    }

    /**
     * A FIFO stamp: the time, but strictly increasing within this JVM, so messages enqueued one after the other
     * keep their order even within one microsecond.
     */
    static long stamp() {
        long now = now();
        return LAST_STAMP.updateAndGet(last -> Math.max(last + 1, now));
    }

    static long of(Instant t) {
        return t == null ? Slot.NONE : Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }

    static long of(Duration d) {
        return d.toNanos() / 1000;
    }

    static Instant instant(long micros) {
        return micros == Slot.NONE ? null : Instant.ofEpochSecond(micros / 1_000_000L, (micros % 1_000_000L) * 1000);
    }
}
