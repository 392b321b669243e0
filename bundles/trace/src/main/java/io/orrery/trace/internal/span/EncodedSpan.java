package io.orrery.trace.internal.span;

import io.orrery.api.trace.SpanRecord;

/** A span with its {@link SpanCodec} bytes, encoded once for both the cluster's map and the store. */
public record EncodedSpan(SpanRecord span, byte[] bytes) {

    public static EncodedSpan of(SpanRecord span) {
        return new EncodedSpan(span, SpanCodec.write(span));
    }
}
