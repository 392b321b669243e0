package io.orrery.viewinghistory.grid;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import java.io.Serial;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The idle sweep of one session: closes it when it saw no new event since {@code cutoff} and answers its state
 * ({@link SessionCodec} bytes); answers the state too of a session closed before {@code cutoff} whose entry the
 * store does not hold yet (its write failed, or its member died before writing it), so the next sweep retries a
 * write no event and no redelivery would bring again. Else null.
 *
 * <p>A state this member cannot read (another format, as a newer member may write during a rolling upgrade) is left
 * as it is and logged, and the sweep goes on with the other sessions of its partition; the members that read it
 * handle it. The fields are those of earlier releases, so members of both versions read this processor.
 */
public final class SessionExpiry implements EntryProcessor<String, Object, byte[]> {

    @Serial
    private static final long serialVersionUID = 2L;
    private static final Logger LOG = LoggerFactory.getLogger(SessionExpiry.class);

    private final long cutoff;
    private final long retentionSeconds;

    public SessionExpiry(long cutoff, long retentionSeconds) {
        this.cutoff = cutoff;
        this.retentionSeconds = retentionSeconds;
    }

    @Override
    public byte[] process(Map.Entry<String, Object> entry) {
        Object value = entry.getValue();
        if (value == null || value instanceof byte[] bytes && !SessionCodec.openAndIdle(bytes, cutoff)
                && !SessionCodec.closedUnwrittenAndIdle(bytes, cutoff)) {
            return null;    // from the header alone: nearly every session the sweep visits
        }
        SessionState state;
        try {
            state = SessionCodec.read(value);
        } catch (IllegalArgumentException unreadable) {
            LOG.warn("Idle sweep: left session {} alone: {}", entry.getKey(), unreadable.getMessage());
            return null;
        }
        if (state.closeIfIdle(cutoff)) {
            byte[] closed = SessionCodec.write(state);
            ((ExtendedMapEntry<String, Object>) entry).setValue(closed, retentionSeconds, TimeUnit.SECONDS);
            return closed;
        }
        if (state.unwrittenSince(cutoff)) {
            return value instanceof byte[] bytes ? bytes : SessionCodec.write(state);  // left as it is in the grid
        }
        return null;
    }
}
