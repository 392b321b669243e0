package io.orrery.gateway.schema;

import java.util.List;
import java.util.Map;

/**
 * A trace as a tree of spans: {@code roots} holds the request's span (and any span whose parent is not kept).
 * Times are microseconds since the epoch.
 */
public record TraceDocument(String traceId, int spanCount, List<SpanNode> roots) {

    /** One span and the spans it caused; {@code failure} (user, timeout, platform, transient) is null on success. */
    public record SpanNode(String spanId, String name, long startMicros, long endMicros, long durationMicros,
                           String failure, String failureMessage, Map<String, String> attributes,
                           List<SpanNode> children) { }
}
