package io.orrery.engine.internal;

import io.orrery.api.engine.InstanceId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The records a lane saved last, decoded: an instance's next event on the same lane (its next result, usually
 * within milliseconds) starts from the record as saved instead of reading and decoding it again. Safe across
 * members because every save is a compare-and-set: if another member changed the instance meanwhile, the save of
 * a stale copy fails and the event is applied again on a fresh read. A record is taken out while an event works on
 * it, so a failed or throwing event never leaves a half-changed copy behind. Per thread: lanes are threads.
 */
final class RecentRecords {

    static final int PER_LANE = 4096;

    private final int capacity;
    private final ThreadLocal<Map<InstanceId, InstanceRecord>> byLane;

    RecentRecords(int capacity) {
        this.capacity = capacity;
        this.byLane = ThreadLocal.withInitial(() -> new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InstanceId, InstanceRecord> eldest) {
                return size() > RecentRecords.this.capacity;
            }
        });
    }

    /** The record this lane saved last for the instance, removed from the cache; null if none. */
    InstanceRecord take(InstanceId id) {
        return capacity == 0 ? null : byLane.get().remove(id);
    }

    /** Keeps the record as saved (its stored bytes are the compare-and-set token of the next save). */
    void keep(InstanceId id, InstanceRecord rec) {
        if (capacity > 0 && rec.loadedBytes() != null) {
            byLane.get().put(id, rec);
        }
    }
}
