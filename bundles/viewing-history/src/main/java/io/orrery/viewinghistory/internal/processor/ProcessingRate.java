package io.orrery.viewinghistory.internal.processor;

import java.util.function.LongSupplier;

/**
 * Events processed per second over the last few whole seconds: a ring of per-second counts, added to once per
 * batch (not per event), read by {@code orrery:vh-status} without waiting for a sample.
 */
public final class ProcessingRate {

    private final int window;
    private final long[] counts;
    private final long[] seconds;
    private final LongSupplier nanos;

    public ProcessingRate(int windowSeconds) {
        this(windowSeconds, System::nanoTime);
    }

    ProcessingRate(int windowSeconds, LongSupplier nanos) {
        if (windowSeconds < 1) {
            throw new IllegalArgumentException("windowSeconds: at least 1, got " + windowSeconds);
        }
        this.window = windowSeconds;
        this.counts = new long[windowSeconds + 1];
        this.seconds = new long[windowSeconds + 1];
        this.nanos = nanos;
        java.util.Arrays.fill(seconds, Long.MIN_VALUE);
    }

    public synchronized void record(long events) {
        long second = nanos.getAsLong() / 1_000_000_000L;
        int slot = (int) Math.floorMod(second, (long) counts.length);
        if (seconds[slot] != second) {
            seconds[slot] = second;
            counts[slot] = 0;
        }
        counts[slot] += events;
    }

    /** The average over the last {@code window} whole seconds (the current, partial one left out). */
    public synchronized double perSecond() {
        long now = nanos.getAsLong() / 1_000_000_000L;
        long sum = 0;
        for (int i = 0; i < counts.length; i++) {
            if (seconds[i] < now && seconds[i] >= now - window) {
                sum += counts[i];
            }
        }
        return sum / (double) window;
    }
}
