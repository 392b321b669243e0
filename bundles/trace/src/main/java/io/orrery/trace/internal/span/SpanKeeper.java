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
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SDK's hand-off of ended spans to Orrery: each becomes a {@link SpanRecord}, put in the cluster's map and
 * queued for the store. A span that cannot be kept (the cluster is down) is counted, never thrown at the code
 * whose work it describes.
 */
public final class SpanKeeper implements SpanProcessor {

    public static final AttributeKey<String> TENANT = AttributeKey.stringKey("orrery.tenant");
    public static final AttributeKey<String> FAILURE = AttributeKey.stringKey("orrery.failure.kind");

    private static final Logger LOG = LoggerFactory.getLogger(SpanKeeper.class);

    private final SpanMap map;
    private final SpanWriter writer;
    private final AtomicLong lost = new AtomicLong();

    public SpanKeeper(SpanMap map, SpanWriter writer) {
        this.map = map;
        this.writer = writer;
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
        SpanRecord record = record(span.toSpanData());
        try {
            map.put(record, e -> lost(record, e));
        } catch (RuntimeException e) {
            lost(record, e);
        }
        writer.offer(record);
    }

    @Override
    public boolean isEndRequired() {
        return true;
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }

    private void lost(SpanRecord record, Throwable e) {
        if (lost.getAndIncrement() % 1000 == 0) {
            LOG.warn("A span of tenant {} was not kept in the cluster: {}", record.tenant(), e.toString());
        }
    }

    /** Spans the cluster's map refused. */
    public long lost() {
        return lost.get();
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
