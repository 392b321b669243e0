package io.orrery.viewinghistory.grid;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import java.io.Serial;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Closes a session that saw no new event since {@code cutoff}; answers its state ({@link SessionCodec} bytes) when
 * it did, else null.
 */
public final class SessionExpiry implements EntryProcessor<String, Object, byte[]> {

    @Serial
    private static final long serialVersionUID = 2L;

    private final long cutoff;
    private final long retentionSeconds;

    public SessionExpiry(long cutoff, long retentionSeconds) {
        this.cutoff = cutoff;
        this.retentionSeconds = retentionSeconds;
    }

    @Override
    public byte[] process(Map.Entry<String, Object> entry) {
        Object value = entry.getValue();
        if (value == null || value instanceof byte[] bytes && !SessionCodec.openAndIdle(bytes, cutoff)) {
            return null;    // from the header alone: nearly every session the sweep visits
        }
        SessionState state = SessionCodec.read(value);
        if (!state.closeIfIdle(cutoff)) {
            return null;
        }
        byte[] closed = SessionCodec.write(state);
        ((ExtendedMapEntry<String, Object>) entry).setValue(closed, retentionSeconds, TimeUnit.SECONDS);
        return closed;
    }
}
