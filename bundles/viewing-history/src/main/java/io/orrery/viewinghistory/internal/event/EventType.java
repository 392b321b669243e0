package io.orrery.viewinghistory.internal.event;

/** What a player reported. */
public enum EventType {
    START, HEARTBEAT, PAUSE, RESUME, SEEK, STOP;

    /** Whether the position moved since the previous event counts as watched time (when that one was no PAUSE). */
    public boolean countsWatchedTime() {
        return this == HEARTBEAT || this == PAUSE || this == STOP;
    }
}
