package io.orrery.viewinghistory.grid;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import java.io.Serial;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Records that the store holds a session's entry as of {@code version}. */
public final class SessionWritten implements EntryProcessor<String, Object, Boolean> {

    @Serial
    private static final long serialVersionUID = 2L;

    private final long version;
    private final long retentionSeconds;

    public SessionWritten(long version, long retentionSeconds) {
        this.version = version;
        this.retentionSeconds = retentionSeconds;
    }

    @Override
    public Boolean process(Map.Entry<String, Object> entry) {
        if (entry.getValue() == null) {
            return false;
        }
        SessionState state = SessionCodec.read(entry.getValue());
        if (state.writtenVersion() >= version && !(entry.getValue() instanceof String)) {
            return true; // already known: no write, and so no backup traffic
        }
        state.markWritten(version);
        ((ExtendedMapEntry<String, Object>) entry).setValue(SessionCodec.write(state), retentionSeconds,
                TimeUnit.SECONDS);
        return true;
    }
}
