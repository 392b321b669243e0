package io.orrery.gateway.internal.http;

import io.orrery.api.trace.FailureKind;
import io.orrery.api.trace.TraceContext;
import io.orrery.api.trace.TraceSpan;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one endpoint: the gate, then the handler, then the answer or the problem document. Asynchronous: when
 * the handler's answer is not ready (a long-poll), the Jetty thread is released and the answer is written when
 * it completes. Log lines carry MDC {@code traceId} and {@code tenant}.
 *
 * <p>A {@link StackOverflowError} (a handler recursing too deep: a cyclic definition, deeply nested content) fails
 * its request only: by the time it is caught the stack is unwound, so the thread can answer and serve on. It is
 * answered as any internal error, never left to escape into Camel and Jetty, which would leave the exchange in
 * flight and the request uncounted. Other errors (out of memory and the like) are not the request's to handle.
 */
public final class ApiEndpoint extends AsyncProcessorSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ApiEndpoint.class);

    private final RequestGate gate;
    private final EndpointSpec spec;
    private final ApiHandler handler;
    private final GatewayMetrics metrics;

    public ApiEndpoint(RequestGate gate, EndpointSpec spec, ApiHandler handler, GatewayMetrics metrics) {
        this.gate = gate;
        this.spec = spec;
        this.handler = handler;
        this.metrics = metrics;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        long start = System.nanoTime();
        TraceSpan span = RequestTrace.start(metrics.tracer(), exchange, spec);
        TraceContext trace = span.context();
        ApiRequest request = null;
        CompletableFuture<ApiResponse> answer;
        MDC.put("traceId", trace.traceId());
        try {
            request = gate.open(exchange, spec, trace);
            if (request.tenant() != null) {
                MDC.put("tenant", request.tenant());
            }
            answer = handler.handle(request).toCompletableFuture();
        } catch (Exception e) {
            answer = CompletableFuture.failedFuture(e);
        } catch (StackOverflowError overflow) {
            answer = CompletableFuture.failedFuture(overflowed(exchange, overflow));
        } finally {
            MDC.remove("tenant");
            MDC.remove("traceId");
        }
        if (answer.isDone()) {
            finish(exchange, request, span, answer, start);
            callback.done(true);
            return true;
        }
        ApiRequest pending = request;
        CompletableFuture<ApiResponse> later = answer;
        later.whenComplete((response, failure) -> {
            finish(exchange, pending, span, later, start);
            callback.done(false);
        });
        return false;
    }

    private void finish(Exchange exchange, ApiRequest request, TraceSpan span,
                        CompletableFuture<ApiResponse> answer, long start) {
        TraceContext trace = span.context();
        MDC.put("traceId", trace.traceId());
        if (request != null && request.tenant() != null) {
            MDC.put("tenant", request.tenant());
        }
        int status;
        try {
            ApiResponse response = answer.join();
            ResponseWriter.success(exchange, response, trace);
            status = response.status();
        } catch (RuntimeException | StackOverflowError failure) {
            // the overflow here is the answer's (a response too deeply nested to write as JSON)
            ApiProblem problem = ProblemMapping.of(failure instanceof StackOverflowError overflow
                    ? overflowed(exchange, overflow) : failure);
            ResponseWriter.problem(exchange, problem, trace);
            status = problem.status();
        }
        try {
            long nanos = System.nanoTime() - start;
            metrics.request(spec.id(), status, nanos);
            close(span, request, status);
            LOG.debug("{} answered {} in {} ms", spec.id(), status, nanos / 1_000_000);
        } finally {
            MDC.remove("tenant");
            MDC.remove("traceId");
        }
    }

    /** The overflow as an internal failure naming the request, logged with its error id like any other. */
    private RuntimeException overflowed(Exchange exchange, StackOverflowError overflow) {
        String method = exchange.getIn().getHeader(Exchange.HTTP_METHOD, String.class);
        String path = exchange.getIn().getHeader(Exchange.HTTP_URI, String.class);
        return new IllegalStateException(spec.id() + " " + method + " " + path + ": the stack overflowed", overflow);
    }

    /** Ends the request's span; it is the tenant's only when the gate let the request through. */
    private static void close(TraceSpan span, ApiRequest request, int status) {
        if (request != null && request.tenant() != null) {
            span.tenant(request.tenant());
        }
        span.attribute("http.status", Integer.toString(status));
        if (status >= 500) {
            span.failed(FailureKind.PLATFORM, "answered " + status);
        } else if (status >= 400) {
            span.failed(FailureKind.USER, "answered " + status);
        }
        span.close();
    }
}
