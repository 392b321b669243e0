package io.orrery.api.trace;

import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * W3C trace context carried by every request and every queue message, so a span tree can be assembled across
 * hops. Serialized as a {@code traceparent} header value: {@code 00-<32 hex trace id>-<16 hex span id>-01}.
 */
public record TraceContext(String traceId, String spanId) {

    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}");
    private static final HexFormat HEX = HexFormat.of();

    public TraceContext {
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(spanId, "spanId");
    }

    /** A new trace with its root span. */
    public static TraceContext newTrace() {
        return new TraceContext(randomHex(16), randomHex(8));
    }

    /** A child span in the same trace. */
    public TraceContext child() {
        return new TraceContext(traceId, randomHex(8));
    }

    public String traceparent() {
        return "00-" + traceId + "-" + spanId + "-01";
    }

    /** Parses a {@code traceparent} value; a malformed one starts a new trace rather than failing the request. */
    public static TraceContext fromTraceparent(String traceparent) {
        if (traceparent != null) {
            var m = TRACEPARENT.matcher(traceparent.trim());
            if (m.matches()) {
                return new TraceContext(m.group(1), m.group(2));
            }
        }
        return newTrace();
    }

    private static String randomHex(int bytes) {
        // Trace ids need to be unique, not secret: a thread-local generator keeps them off the hot path's locks.
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        return HEX.formatHex(b);
    }
}
