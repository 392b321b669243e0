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
        byte[] current = entry.getValue() instanceof byte[] bytes ? bytes
                : SessionCodec.write(SessionCodec.read(entry.getValue()));   // the JSON text of earlier releases
        byte[] marked = SessionCodec.withWritten(current, version);
        if (marked != entry.getValue()) {   // unchanged: no write, and so no backup traffic
            ((ExtendedMapEntry<String, Object>) entry).setValue(marked, retentionSeconds, TimeUnit.SECONDS);
        }
        return true;
    }
}
