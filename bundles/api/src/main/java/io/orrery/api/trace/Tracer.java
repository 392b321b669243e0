package io.orrery.api.trace;

import java.time.Instant;
import java.util.Map;

/**
 * Orrery's spans, without OpenTelemetry types: subsystems start spans through this service and the trace bundle
 * records them (with the OpenTelemetry SDK), keeps them in the cluster and the store, and exports them over OTLP
 * when configured. Every span names its tenant, so a tenant reads back only its own spans.
 */
public interface Tracer {

    /** A tracer that records nothing: for code running without the trace bundle (tests, tools). */
    Tracer NOOP = new Tracer() {
        @Override
        public TraceSpan start(String name, String tenant, TraceContext parent) {
            return TraceSpan.detached(parent == null ? TraceContext.newTrace() : parent.child());
        }

        @Override
        public TraceContext record(String name, String tenant, TraceContext parent, Instant start, Instant end,
                                   Map<String, String> attributes) {
            return parent == null ? TraceContext.newTrace() : parent.child();
        }
    };

    /**
     * Starts a span named {@code name} as a child of {@code parent}, or as the root of a new trace when
     * {@code parent} is null. The caller ends it with {@link TraceSpan#close()}.
     */
    TraceSpan start(String name, String tenant, TraceContext parent);

    /**
     * Records a span whose interval is already known, such as a queue wait from a message's enqueue and claim
     * times, and answers its context.
     */
    TraceContext record(String name, String tenant, TraceContext parent, Instant start, Instant end,
                        Map<String, String> attributes);
}
