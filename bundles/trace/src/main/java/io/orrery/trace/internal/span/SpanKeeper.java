package io.orrery.trace.internal.span;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.orrery.api.trace.FailureKind;
import io.orrery.api.trace.SpanRecord;
import java.util.HashMap;
import java.util.Map;

/**
 * The SDK's hand-off of ended spans to Orrery: each is buffered by the {@link SpanFlusher}, which turns it into a
 * {@link SpanRecord}, keeps it in the cluster's map and queues it for the store off the thread that ended it. A
 * span that cannot be kept (the buffer is full, the cluster is down) is counted, never thrown at the code whose
 * work it describes.
 */
public final class SpanKeeper implements SpanProcessor {

    public static final AttributeKey<String> TENANT = AttributeKey.stringKey("orrery.tenant");
    public static final AttributeKey<String> FAILURE = AttributeKey.stringKey("orrery.failure.kind");

    private final SpanFlusher flusher;

    public SpanKeeper(SpanFlusher flusher) {
        this.flusher = flusher;
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
    }

    @Override
    public boolean isStartRequired() {
        return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
        flusher.offer(span);
    }

    @Override
    public boolean isEndRequired() {
        return true;
    }

    /** Called as the SDK's provider closes: every buffered span is handed on first. */
    @Override
    public CompletableResultCode shutdown() {
        flusher.close();
        return CompletableResultCode.ofSuccess();
    }

    static SpanRecord record(SpanData data) {
        Map<String, String> attributes = new HashMap<>();
        data.getAttributes().forEach((k, v) -> {
            if (!k.equals(TENANT) && !k.equals(FAILURE)) {
                attributes.put(k.getKey(), String.valueOf(v));
            }
        });
        String tenant = data.getAttributes().get(TENANT);
        String failure = data.getAttributes().get(FAILURE);
        boolean failed = data.getStatus().getStatusCode() == StatusCode.ERROR;
        return new SpanRecord(data.getTraceId(), data.getSpanId(),
                data.getParentSpanContext().isValid() ? data.getParentSpanId() : null,
                tenant == null ? "" : tenant, data.getName(),
                data.getStartEpochNanos() / 1000, data.getEndEpochNanos() / 1000,
                failed ? (failure == null ? FailureKind.PLATFORM : FailureKind.valueOf(failure)) : null,
                failed ? data.getStatus().getDescription() : null, attributes);
    }
}
