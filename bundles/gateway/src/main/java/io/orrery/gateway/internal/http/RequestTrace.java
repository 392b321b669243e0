package io.orrery.gateway.internal.http;

import io.orrery.api.trace.TraceContext;
import io.orrery.api.trace.TraceSpan;
import io.orrery.api.trace.Tracer;
import org.apache.camel.Exchange;

/**
 * The request's trace context: a child span of the caller's W3C {@code traceparent} when one came (so the caller's
 * trace id carries through), a new trace otherwise. Never fails a request. The request's span is started here and
 * named for its tenant only once the gate has checked the token, so no unauthenticated request adds spans to a
 * tenant's trace.
 */
final class RequestTrace {

    static final String HEADER = "traceparent";

    private RequestTrace() {
    }

    static TraceSpan start(Tracer tracer, Exchange exchange, EndpointSpec spec) {
        Object given = exchange.getIn().getHeader(HEADER);
        TraceContext parent = given instanceof String value ? TraceContext.fromTraceparent(value) : null;
        String method = exchange.getIn().getHeader(Exchange.HTTP_METHOD, String.class);
        return tracer.start((method == null ? "GET" : method) + " " + spec.path(), "", parent)
                .attribute("http.route", spec.path()).attribute("orrery.endpoint", spec.id());
    }

    static TraceContext of(Exchange exchange) {
        Object given = exchange.getIn().getHeader(HEADER);
        if (given instanceof String value) {
            return TraceContext.fromTraceparent(value).child();
        }
        return TraceContext.newTrace();
    }
}
