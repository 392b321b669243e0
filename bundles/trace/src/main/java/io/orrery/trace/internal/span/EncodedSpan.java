package io.orrery.trace.internal.span;

import io.opentelemetry.sdk.trace.data.SpanData;

/**
 * A span's {@link SpanCodec} bytes, encoded once for both the cluster's map and the store, with the fields that
 * place it: its trace, its id (a group's key), its tenant and its start.
 */
public record EncodedSpan(String traceId, String spanId, String tenant, long startMicros, byte[] bytes) {

    public static EncodedSpan of(SpanData data) {
        String tenant = data.getAttributes().get(SpanKeeper.TENANT);
        return new EncodedSpan(data.getTraceId(), data.getSpanId(), tenant == null ? "" : tenant,
                data.getStartEpochNanos() / 1000, SpanCodec.write(data, tenant));
    }
}
