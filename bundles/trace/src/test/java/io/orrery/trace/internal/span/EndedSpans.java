package io.orrery.trace.internal.span;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Spans as the SDK hands them to the keeper once ended, recorded through Orrery's tracer. */
public final class EndedSpans {

    private EndedSpans() {
    }

    /** The spans {@code recording} ends, in the order they ended. */
    public static List<SpanData> of(Consumer<OtelTracer> recording) {
        List<SpanData> ended = new ArrayList<>();
        try (SdkTracerProvider sdk = SdkTracerProvider.builder().addSpanProcessor(into(ended)).build()) {
            recording.accept(new OtelTracer(sdk));
        }
        return ended;
    }

    /** A processor that adds each ended span to {@code ended}. */
    public static SpanProcessor into(List<SpanData> ended) {
        return new SpanProcessor() {
            @Override
            public void onStart(Context parentContext, ReadWriteSpan span) {
            }

            @Override
            public boolean isStartRequired() {
                return false;
            }

            @Override
            public void onEnd(ReadableSpan span) {
                ended.add(span.toSpanData());
            }

            @Override
            public boolean isEndRequired() {
                return true;
            }
        };
    }
}
