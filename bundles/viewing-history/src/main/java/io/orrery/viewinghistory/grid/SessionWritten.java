package io.orrery.viewinghistory.grid;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import java.io.Serial;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Records that the store holds a session's entry as of {@code version}, and sets the cache's copy of that entry
 * ({@code copy} in the map {@code copyMap}, under the same session id) when there is one: the copy's key lives in
 * the same grid partition as the session's state, so the partition thread that marks the state queues the copy's
 * write right behind the mark, and the caller has one call to make and none to wait for.
 *
 * <p>The copy's fields were added in a compatible way (same {@code serialVersionUID}): a member of an earlier release
 * reads them as absent and only marks the state.
 */
public final class SessionWritten implements EntryProcessor<String, Object, Boolean>, HazelcastInstanceAware {

    @Serial
    private static final long serialVersionUID = 2L;

    private final long version;
    private final long retentionSeconds;
    private final String copyMap;
    private final String copy;
    private transient HazelcastInstance hazelcast;

    public SessionWritten(long version, long retentionSeconds) {
        this(version, retentionSeconds, null, null);
    }

    public SessionWritten(long version, long retentionSeconds, String copyMap, String copy) {
        this.version = version;
        this.retentionSeconds = retentionSeconds;
        this.copyMap = copyMap;
        this.copy = copy;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcast) {
        this.hazelcast = hazelcast;
    }

    @Override
    public Boolean process(Map.Entry<String, Object> entry) {
        if (copy != null && copyMap != null && hazelcast != null) {
            // Same partition, so this thread runs it next; not awaited, so a backup's round trip never holds it.
            hazelcast.getMap(copyMap).setAsync(entry.getKey(), copy);
        }
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

    /** On a backup the copy's own write makes its own backup: only the state is marked here. */
    @Override
    public EntryProcessor<String, Object, Boolean> getBackupProcessor() {
        return copy == null ? this : new SessionWritten(version, retentionSeconds);
    }
}
