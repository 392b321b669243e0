package io.orrery.viewinghistory.grid;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import java.io.Serial;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Records that the store holds a session's entry as of {@code version}. */
public final class SessionWritten implements EntryProcessor<String, String, Boolean> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final long version;
    private final long retentionSeconds;

    public SessionWritten(long version, long retentionSeconds) {
        this.version = version;
        this.retentionSeconds = retentionSeconds;
    }

    @Override
    public Boolean process(Map.Entry<String, String> entry) {
        if (entry.getValue() == null) {
            return false;
        }
        SessionState state = SessionState.parse(entry.getValue());
        state.markWritten(version);
        ((ExtendedMapEntry<String, String>) entry).setValue(state.toJson(), retentionSeconds, TimeUnit.SECONDS);
        return true;
    }
}
