package io.orrery.functions.internal.worker;

import io.orrery.api.trace.TraceContext;
import io.orrery.api.trace.TraceSpan;
import io.orrery.api.trace.Tracer;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A tracer for the worker's call spans, which are recorded whole: keeps each one's attributes by instance key. */
final class CallSpanLog implements Tracer {

    private final Map<String, Map<String, String>> byKey = new ConcurrentHashMap<>();

    @Override
    public TraceSpan start(String name, String tenant, TraceContext parent) {
        throw new AssertionError("calls record their spans whole");
    }

    @Override
    public TraceContext record(String name, String tenant, TraceContext parent, Instant start, Instant end,
                               Map<String, String> attributes) {
        byKey.put(attributes.get("orrery.key"), attributes);
        return parent.child();
    }

    int size() {
        return byKey.size();
    }

    /** The value of {@code attribute} on the span of the call of instance {@code key}. */
    String attribute(String key, String attribute) {
        return byKey.get(key).get(attribute);
    }
}
