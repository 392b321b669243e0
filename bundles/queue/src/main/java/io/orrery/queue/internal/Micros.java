package io.orrery.queue.internal;

import io.orrery.queue.grid.Slot;
import java.time.Duration;
import java.time.Instant;

/** Time as the shards keep it: epoch microseconds, {@link Slot#NONE} for "none" (the clock: {@link QueueClock}). */
final class Micros {

    private Micros() {
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
