package io.orrery.gateway.schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem document ({@code application/problem+json}): type, title, status, detail and instance, plus
 * {@code errors}, one entry per offending part of the request, and the request's {@code traceId}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProblemDocument(String type, String title, int status, String detail, String instance,
                              List<FieldError> errors, String traceId) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** @param field the parameter, header or body member at fault, e.g. {@code input.source} */
    public record FieldError(String field, String detail) { }
}
