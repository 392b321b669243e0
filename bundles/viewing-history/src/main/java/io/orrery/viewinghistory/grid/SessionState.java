package io.orrery.viewinghistory.grid;

import io.orrery.viewinghistory.internal.event.EventType;
import java.util.Collection;
import java.util.TreeMap;

/**
 * What the grid knows of one playback session: its events by {@code seq} (a repeated {@code seq} is a duplicate
 * and dropped), whether it is closed, when it last changed, and which of its versions the store already holds.
 * Kept in Hazelcast as bytes ({@link SessionCodec}), so members need none of Orrery's classes to hold or migrate it.
 *
 * <p>A version counts changes within one lifetime of the state, which ends when the grid loses it (past the
 * retention, or with the whole cluster) and late events begin another that knows only them. The low
 * {@link #LIFETIME_BITS} bits count the changes; the bits above name the lifetime: the clock when it began
 * ({@link #newLifetime}). So the store tells a computation of an earlier lifetime, which knew events the current one
 * lacks, from an older one of the same lifetime, and completes the entry rather than replace it. States of earlier
 * releases began at 0: their versions are all of lifetime 0, and go on as before.
 */
public final class SessionState {

    /** The bits of a version that count a lifetime's changes: about a million, far above a session's events. */
    public static final int LIFETIME_BITS = 20;

    /** One event as the session keeps it. */
    public record Step(long seq, EventType type, long positionMs, long clientTs, String userId, String titleId,
                       String device) {
    }

    private final TreeMap<Long, Step> steps = new TreeMap<>();
    private boolean closed;
    private long lastChange;
    private long version;
    private long written;

    SessionState() {
    }

    /** A state begun at {@code now} where the grid held none: its versions are of a lifetime of their own. */
    static SessionState newLifetime(long now) {
        SessionState state = new SessionState();
        state.version = now << LIFETIME_BITS;
        return state;
    }

    /** The lifetime a version belongs to (0: a state of an earlier release). */
    public static long lifetime(long version) {
        return version >>> LIFETIME_BITS;
    }

    /** The changes a version counts within its lifetime. */
    public static long changes(long version) {
        return version & ((1L << LIFETIME_BITS) - 1);
    }

    /** Sets what {@link SessionCodec} read; steps follow through {@link #restoreStep}. */
    void restore(boolean closed, long lastChange, long version, long written) {
        this.closed = closed;
        this.lastChange = lastChange;
        this.version = version;
        this.written = written;
    }

    void restoreStep(Step step) {
        steps.put(step.seq(), step);
    }

    /** Adds the step unless its {@code seq} is already known; whether it was new. */
    boolean add(Step step, long now) {
        if (steps.putIfAbsent(step.seq(), step) != null) {
            return false;
        }
        if (step.type() == EventType.STOP) {
            closed = true;
        }
        lastChange = now;
        version++;
        return true;
    }

    /** Closes an open session that has been idle since before {@code cutoff}; whether it did. */
    boolean closeIfIdle(long cutoff) {
        if (closed || steps.isEmpty() || lastChange >= cutoff) {
            return false;
        }
        closed = true;
        version++;
        return true;
    }

    /** Closed with a version the store does not hold, and unchanged since before {@code cutoff}. */
    boolean unwrittenSince(long cutoff) {
        return needsWrite() && lastChange < cutoff;
    }

    void markWritten(long writtenVersion) {
        written = Math.max(written, writtenVersion);
    }

    /** Closed, with a version the store does not hold yet. */
    public boolean needsWrite() {
        return closed && written < version;
    }

    public Collection<Step> steps() {
        return steps.values();
    }

    public boolean closed() {
        return closed;
    }

    public long version() {
        return version;
    }

    public long lastChange() {
        return lastChange;
    }

    /** The version the store is known to hold. */
    public long writtenVersion() {
        return written;
    }
}
