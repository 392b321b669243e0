package io.orrery.viewinghistory.internal.history;

import io.orrery.viewinghistory.grid.SessionState;
import io.orrery.viewinghistory.internal.event.EventType;
import java.util.List;

/**
 * A session's entry from its events ordered by {@code seq} (duplicates already dropped): start and end are the
 * {@code clientTs} of the lowest and highest {@code seq}, the last position that of the highest, and the watched
 * time the sum of forward position moves into a HEARTBEAT, PAUSE or STOP from an event that was not a PAUSE.
 */
public final class EntryCalculation {

    private EntryCalculation() {
    }

    public static HistoryEntry of(String sessionId, SessionState state) {
        List<SessionState.Step> steps = List.copyOf(state.steps());
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("session " + sessionId + " has no events");
        }
        SessionState.Step first = steps.get(0);
        SessionState.Step last = steps.get(steps.size() - 1);
        long watched = 0;
        for (int i = 1; i < steps.size(); i++) {
            SessionState.Step previous = steps.get(i - 1);
            SessionState.Step current = steps.get(i);
            if (current.type().countsWatchedTime() && previous.type() != EventType.PAUSE) {
                watched += Math.max(0, current.positionMs() - previous.positionMs());
            }
        }
        return new HistoryEntry(sessionId, first.userId(), first.titleId(), first.device(), first.clientTs(),
                last.clientTs(), watched, last.positionMs(), false, state.version());
    }
}
