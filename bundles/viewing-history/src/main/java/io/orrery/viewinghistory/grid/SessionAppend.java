package io.orrery.viewinghistory.grid;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import java.io.Serial;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Adds events to one session where it lives, so consumers on any member may append to the same session at once.
 * Answers the session's state when it is closed and holds something the store has not seen yet (including the
 * case of a redelivered batch whose write was lost), else null.
 */
public final class SessionAppend implements EntryProcessor<String, String, String> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final List<SessionState.Step> steps;
    private final long now;
    private final long retentionSeconds;

    public SessionAppend(List<SessionState.Step> steps, long now, long retentionSeconds) {
        this.steps = List.copyOf(steps);
        this.now = now;
        this.retentionSeconds = retentionSeconds;
    }

    @Override
    public String process(Map.Entry<String, String> entry) {
        SessionState state = SessionState.parse(entry.getValue());
        boolean changed = false;
        for (SessionState.Step step : steps) {
            changed |= state.add(step, now);
        }
        if (changed) {
            // Kept well past the close, so a late event still finds the session it corrects.
            ((ExtendedMapEntry<String, String>) entry).setValue(state.toJson(), retentionSeconds, TimeUnit.SECONDS);
        }
        return state.needsWrite() ? state.toJson() : null;
    }
}
