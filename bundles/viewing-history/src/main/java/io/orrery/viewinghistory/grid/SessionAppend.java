package io.orrery.viewinghistory.grid;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.io.Serial;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Adds events to one session where it lives, so consumers on any member may append to the same session at once.
 * Answers the session's state ({@link SessionCodec} bytes) when it is closed and holds something the store has not
 * seen yet (including the case of a redelivered batch whose write was lost), else null.
 *
 * <p>Travels as {@link DataSerializable} with its steps encoded in the state's step layout: one byte array, not a
 * graph of objects through Java serialization. Encoded only when it travels ({@link #writeData}): Hazelcast hands an
 * append for a partition of its own member over as the object, unserialized, and encoding the steps only for the
 * partition thread to decode them again cost about 2 µs a session, on the busiest threads.
 */
public final class SessionAppend implements EntryProcessor<String, Object, byte[]>, DataSerializable {

    @Serial
    private static final long serialVersionUID = 2L;

    private List<SessionState.Step> steps;
    private long now;
    private long retentionSeconds;

    /** For Hazelcast's deserialization only. */
    public SessionAppend() {
    }

    public SessionAppend(List<SessionState.Step> steps, long now, long retentionSeconds) {
        this.steps = List.copyOf(steps);
        this.now = now;
        this.retentionSeconds = retentionSeconds;
    }

    @Override
    public byte[] process(Map.Entry<String, Object> entry) {
        // None held: a new session, or one whose state the grid lost. Either way a lifetime of its own begins.
        SessionState state = entry.getValue() == null ? SessionState.newLifetime(now)
                : SessionCodec.read(entry.getValue());
        boolean changed = false;
        for (SessionState.Step step : steps) {
            changed |= state.add(step, now);
        }
        byte[] bytes = changed || entry.getValue() instanceof String ? SessionCodec.write(state) : null;
        if (changed) {
            // Kept well past the close, so a late event still finds the session it corrects.
            ((ExtendedMapEntry<String, Object>) entry).setValue(bytes, retentionSeconds, TimeUnit.SECONDS);
        }
        if (!state.needsWrite()) {
            return null;
        }
        return bytes != null ? bytes : (byte[]) entry.getValue();
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeByteArray(SessionCodec.writeSteps(steps));
        out.writeLong(now);
        out.writeLong(retentionSeconds);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        steps = SessionCodec.readSteps(in.readByteArray());
        now = in.readLong();
        retentionSeconds = in.readLong();
    }
}
