package io.orrery.viewinghistory.grid;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import java.io.Serial;
import java.util.Map;

/**
 * Whether the store holds everything the grid knows of a session ({@link SessionCodec#settled}), answered where the
 * session lives from its state's header, so asking costs a boolean on the wire rather than the whole state. A session
 * the grid holds no state of answers nothing, and is left out of the answers: never seen, past its retention, or lost.
 */
public final class SessionSettled implements EntryProcessor<String, Object, Boolean>, ReadOnly {

    @Serial
    private static final long serialVersionUID = 1L;

    @Override
    public Boolean process(Map.Entry<String, Object> entry) {
        return entry.getValue() == null ? null : SessionCodec.settled(entry.getValue());
    }

    @Override
    public EntryProcessor<String, Object, Boolean> getBackupProcessor() {
        return null;    // reads only: nothing for the backups to do
    }
}
