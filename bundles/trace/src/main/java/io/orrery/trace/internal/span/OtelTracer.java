package io.orrery.trace.internal.span;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.orrery.api.trace.FailureKind;
import io.orrery.api.trace.TraceContext;
import io.orrery.api.trace.TraceSpan;
import io.orrery.api.trace.Tracer;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@link Tracer} on the OpenTelemetry SDK: Orrery's contexts become remote parents of SDK spans. */
public final class OtelTracer implements Tracer {

    private final io.opentelemetry.api.trace.Tracer tracer;

    public OtelTracer(SdkTracerProvider provider) {
        this.tracer = provider.get("io.orrery");
    }

    @Override
    public TraceSpan start(String name, String tenant, TraceContext parent) {
        return new SdkSpan(builder(name, tenant, parent).startSpan());
    }

    @Override
    public TraceContext record(String name, String tenant, TraceContext parent, Instant start, Instant end,
                               Map<String, String> attributes) {
        SpanBuilder builder = builder(name, tenant, parent).setStartTimestamp(start);
        attributes.forEach(builder::setAttribute);
        Span span = builder.startSpan();
        span.end(end.isBefore(start) ? start : end);
        return contextOf(span);
    }

    private SpanBuilder builder(String name, String tenant, TraceContext parent) {
        SpanBuilder builder = tracer.spanBuilder(name).setAttribute(SpanKeeper.TENANT, tenant);
        if (parent == null) {
            return builder.setNoParent();
        }
        SpanContext remote = SpanContext.createFromRemoteParent(parent.traceId(), parent.spanId(),
                TraceFlags.getSampled(), TraceState.getDefault());
        return builder.setParent(Context.root().with(Span.wrap(remote)));
    }

    private static TraceContext contextOf(Span span) {
        return new TraceContext(span.getSpanContext().getTraceId(), span.getSpanContext().getSpanId());
    }

    private static final class SdkSpan implements TraceSpan {

        private final Span span;
        private final AtomicBoolean ended = new AtomicBoolean();

        SdkSpan(Span span) {
            this.span = span;
        }

        @Override
        public TraceContext context() {
            return contextOf(span);
        }

        @Override
        public TraceSpan attribute(String key, String value) {
            span.setAttribute(key, value);
            return this;
        }

        @Override
        public TraceSpan tenant(String tenant) {
            span.setAttribute(SpanKeeper.TENANT, tenant);
            return this;
        }

        @Override
        public TraceSpan failed(FailureKind kind, String message) {
            span.setAttribute(SpanKeeper.FAILURE, kind.name());
            span.setStatus(StatusCode.ERROR, message == null ? kind.name() : message);
            return this;
        }

        @Override
        public void close() {
            if (ended.compareAndSet(false, true)) {
                span.end();
            }
        }
    }
}
