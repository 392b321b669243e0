package io.orrery.api.engine;

import io.orrery.api.trace.TraceContext;
import java.util.Map;
import java.util.Objects;

/**
 * A request for an instance: creates it, or adds facts to it when the key exists.
 *
 * @param key      business key; null to generate one
 * @param priority default priority (0..9) of the instance's calls
 * @param trace    the caller's trace context; null starts a new trace
 */
public record InstanceRequest(String tenant, String workflow, String key, Map<String, Object> input, int priority,
                              TraceContext trace) {

    public InstanceRequest {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(workflow, "workflow");
        input = input == null ? Map.of() : input;
        if (priority < 0 || priority > 9) {
            throw new IllegalArgumentException("priority: must be 0..9, got " + priority);
        }
    }

    public static InstanceRequest of(String tenant, String workflow, String key, Map<String, Object> input) {
        return new InstanceRequest(tenant, workflow, key, input, 5, null);
    }
}
