package io.orrery.gateway.internal;

import io.orrery.api.trace.FailureKind;
import io.orrery.api.trace.SpanRecord;
import io.orrery.api.trace.TraceContext;
import io.orrery.api.trace.TraceReader;
import io.orrery.api.trace.TraceSpan;
import io.orrery.api.trace.Tracer;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** Spans recorded and held in memory, read back per tenant as the trace bundle's reader does. */
public final class KeptTraces implements Tracer, TraceReader {

    private final List<SpanRecord> spans = new CopyOnWriteArrayList<>();

    public void add(SpanRecord span) {
        spans.add(span);
    }

    public List<SpanRecord> all() {
        return List.copyOf(spans);
    }

    @Override
    public List<SpanRecord> spans(String tenant, String traceId) {
        return spans.stream().filter(s -> s.tenant().equals(tenant) && s.traceId().equals(traceId)).toList();
    }

    @Override
    public List<SpanRecord> spansOfEveryTenant(String traceId) {
        return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    @Override
    public TraceSpan start(String name, String tenant, TraceContext parent) {
        return new KeptSpan(name, tenant, parent);
    }

    @Override
    public TraceContext record(String name, String tenant, TraceContext parent, Instant start, Instant end,
                               Map<String, String> attributes) {
        TraceContext self = parent == null ? TraceContext.newTrace() : parent.child();
        add(new SpanRecord(self.traceId(), self.spanId(), parent == null ? null : parent.spanId(), tenant, name,
                micros(start), micros(end), null, null, attributes));
        return self;
    }

    private static long micros(Instant t) {
        return TimeUnit.SECONDS.toMicros(t.getEpochSecond()) + t.getNano() / 1000;
    }

    private final class KeptSpan implements TraceSpan {
        private final String name;
        private final TraceContext parent;
        private final TraceContext self;
        private final Instant start = Instant.now();
        private final Map<String, String> attributes = new HashMap<>();
        private String tenant;
        private FailureKind failure;
        private String message;

        KeptSpan(String name, String tenant, TraceContext parent) {
            this.name = name;
            this.tenant = tenant;
            this.parent = parent;
            this.self = parent == null ? TraceContext.newTrace() : parent.child();
        }

        @Override
        public TraceContext context() {
            return self;
        }

        @Override
        public TraceSpan attribute(String key, String value) {
            attributes.put(key, value);
            return this;
        }

        @Override
        public TraceSpan tenant(String tenant) {
            this.tenant = tenant;
            return this;
        }

        @Override
        public TraceSpan failed(FailureKind kind, String message) {
            this.failure = kind;
            this.message = message;
            return this;
        }

        @Override
        public void close() {
            add(new SpanRecord(self.traceId(), self.spanId(), parent == null ? null : parent.spanId(), tenant, name,
                    micros(start), micros(Instant.now()), failure, message, attributes));
        }
    }
}
