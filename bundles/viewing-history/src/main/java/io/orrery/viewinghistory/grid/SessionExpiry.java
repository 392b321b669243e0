package io.orrery.viewinghistory.grid;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import java.io.Serial;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Closes a session that saw no new event since {@code cutoff}; answers its state when it did, else null. */
public final class SessionExpiry implements EntryProcessor<String, String, String> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final long cutoff;
    private final long retentionSeconds;

    public SessionExpiry(long cutoff, long retentionSeconds) {
        this.cutoff = cutoff;
        this.retentionSeconds = retentionSeconds;
    }

    @Override
    public String process(Map.Entry<String, String> entry) {
        if (entry.getValue() == null) {
            return null;
        }
        SessionState state = SessionState.parse(entry.getValue());
        if (!state.closeIfIdle(cutoff)) {
            return null;
        }
        String closed = state.toJson();
        ((ExtendedMapEntry<String, String>) entry).setValue(closed, retentionSeconds, TimeUnit.SECONDS);
        return closed;
    }
}
