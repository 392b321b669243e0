package io.orrery.gateway.internal.http;

import io.orrery.api.trace.TraceContext;
import org.apache.camel.Exchange;

/**
 * The request's trace context: a child span of the caller's W3C {@code traceparent} when one came (so the caller's
 * trace id carries through), a new trace otherwise. Never fails a request.
 */
final class RequestTrace {

    static final String HEADER = "traceparent";

    private RequestTrace() {
    }

    static TraceContext of(Exchange exchange) {
        Object given = exchange.getIn().getHeader(HEADER);
        if (given instanceof String value) {
            return TraceContext.fromTraceparent(value).child();
        }
        return TraceContext.newTrace();
    }
}
