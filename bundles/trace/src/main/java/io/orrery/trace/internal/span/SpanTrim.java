package io.orrery.trace.internal.span;

import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps a large span map under its bound by age, so that Hazelcast's eviction seldom has to. Hazelcast bounds the
 * map exactly, but by sampling entries on every put past the bound: in the engine benchmark that sampling was most
 * of what tracing cost once the map was full. This counts the spans this member kept by start time (in tenths of a
 * second) and answers the start before which they are more than {@code keep}; dropping those in one sweep
 * ({@link SpanMap#removeOlderThan}) keeps the map's newest spans, as the eviction would, and the bound stays where
 * it was for bursts the sweep has not caught up with. Each member counts only its own spans, and its share of the
 * bound is its own {@code maxSpans}, so members need not talk to agree.
 */
public final class SpanTrim {

    private static final long BUCKET_MICROS = 100_000;

    private final long keep;
    private final TreeMap<Long, long[]> kept = new TreeMap<>();

    /** @param keep spans to keep (a fraction of the bound, leaving room for what arrives between sweeps) */
    public SpanTrim(long keep) {
        this.keep = keep;
    }

    /** Counts spans this member kept, by their start (a group's, by its earliest: it is dropped with it). */
    public synchronized void kept(long startMicros, int spans) {
        kept.computeIfAbsent(Math.floorDiv(startMicros, BUCKET_MICROS), b -> new long[1])[0] += spans;
    }

    /**
     * The start (micros) before which this member's spans exceed {@code keep}, forgetting those; 0 while they do
     * not.
     */
    public synchronized long cutoff() {
        long newer = 0;
        for (Map.Entry<Long, long[]> bucket : kept.descendingMap().entrySet()) {
            newer += bucket.getValue()[0];
            if (newer > keep) {
                long cutoff = (bucket.getKey() + 1) * BUCKET_MICROS;
                kept.headMap(bucket.getKey() + 1).clear();
                return cutoff;
            }
        }
        return 0;
    }
}
