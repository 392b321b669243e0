package io.orrery.api.trace;

import java.util.Map;
import java.util.Objects;

/**
 * One ended span as Orrery keeps it. Times are microseconds since the epoch; {@code parentSpanId} is null for a
 * trace's root; {@code failure} is null for a span that succeeded.
 */
public record SpanRecord(String traceId, String spanId, String parentSpanId, String tenant, String name,
                         long startMicros, long endMicros, FailureKind failure, String failureMessage,
                         Map<String, String> attributes) {

    public SpanRecord {
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(spanId, "spanId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(name, "name");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    public long durationMicros() {
        return endMicros - startMicros;
    }
}
