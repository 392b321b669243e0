package io.orrery.api.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of one instance, for REST, the shell and tests.
 *
 * @param output  what {@code complete} published last; null before
 * @param failure why the instance failed, while FAILED
 */
public record InstanceView(InstanceId id, int version, InstanceStatus status, Map<String, Object> input,
                           Map<String, Object> state, Map<String, Object> output, String failure,
                           List<PendingCall> pending, List<Firing> recentFirings, String traceId,
                           Instant createdAt, Instant updatedAt) {

    public boolean completed() {
        return output != null;
    }
}
