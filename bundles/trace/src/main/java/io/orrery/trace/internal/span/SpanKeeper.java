package io.orrery.trace.internal.span;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * The SDK's hand-off of ended spans to Orrery: each is buffered by the {@link SpanFlusher}, which encodes it
 * ({@link SpanCodec}), keeps it in the cluster's map and queues it for the store off the thread that ended it. A
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
}
