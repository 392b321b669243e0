package io.orrery.gateway.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.orrery.api.trace.TraceContext;
import io.orrery.gateway.schema.ProblemDocument;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Writes an answer into the exchange. Camel's HTTP layer copies every message header into the response, so the
 * request's headers (Authorization among them) are removed first; then the status, the content type, the trace
 * context and the answer's own headers are set.
 */
public final class ResponseWriter {

    public static final String JSON = "application/json";

    private ResponseWriter() {
    }

    static void success(Exchange exchange, ApiResponse response, TraceContext trace) {
        if (response.body() instanceof ApiResponse.Text text) {
            write(exchange, response.status(), text.contentType(), text.text().getBytes(StandardCharsets.UTF_8),
                    response.headers(), trace);
            return;
        }
        write(exchange, response.status(), JSON, json(response.body()), response.headers(), trace);
    }

    static void problem(Exchange exchange, ApiProblem problem, TraceContext trace) {
        String instance = exchange.getIn().getHeader(Exchange.HTTP_URI, String.class);
        List<ProblemDocument.FieldError> errors = problem.field() == null ? null
                : List.of(new ProblemDocument.FieldError(problem.field(), problem.getMessage()));
        ProblemDocument document = new ProblemDocument("urn:orrery:problem:" + problem.kind(), problem.title(),
                problem.status(), problem.getMessage(), instance, errors, trace == null ? null : trace.traceId());
        write(exchange, problem.status(), ProblemDocument.MEDIA_TYPE, json(document), problem.headers(), trace);
    }

    /** The last resort of a route's onException: whatever escaped becomes a problem document, never a stack trace. */
    public static void unexpected(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        problem(exchange, ProblemMapping.of(failure == null ? new IllegalStateException("unknown") : failure),
                RequestTrace.of(exchange));
    }

    private static void write(Exchange exchange, int status, String contentType, byte[] body,
                              Map<String, String> headers, TraceContext trace) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, contentType);
        if (trace != null) {
            message.setHeader(RequestTrace.HEADER, trace.traceparent());
        }
        headers.forEach(message::setHeader);
        message.setBody(body);
    }

    private static byte[] json(Object body) {
        try {
            return JsonBody.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("answer not serialisable as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
