package io.orrery.gateway.internal.http;

import io.orrery.gateway.schema.ProblemDocument;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.model.rest.ParamDefinition;
import org.apache.camel.model.rest.ResponseHeaderDefinition;
import org.apache.camel.model.rest.ResponseMessageDefinition;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.RestParamType;
import org.apache.camel.model.rest.VerbDefinition;

/**
 * Describes a REST verb's parameters and answers for the OpenAPI document. Body shapes are the records of
 * {@code io.orrery.gateway.schema}, which the generator loads by name through the Camel context's class
 * resolver; where that resolver cannot see them (the Camel runtime bundle without a dynamic import of
 * {@code io.orrery.*}) the shapes are left out rather than breaking the whole document.
 */
public final class RestDocs {

    /** The OpenAPI security scheme of every authenticated endpoint. */
    public static final String BEARER = "bearer";
    static final String RETRY_AFTER = "Retry-After";
    static final String TRACEPARENT = "traceparent";

    private final CamelContext camel;

    public RestDocs(CamelContext camel) {
        this.camel = camel;
    }

    public RestDefinition pathParam(RestDefinition verb, String name, String description) {
        return verb.param().name(name).type(RestParamType.path).dataType("string").required(true)
                .description(description).endParam();
    }

    public RestDefinition queryParam(RestDefinition verb, String name, String dataType, String description) {
        return verb.param().name(name).type(RestParamType.query).dataType(dataType).required(false)
                .description(description).endParam();
    }

    public RestDefinition headerParam(RestDefinition verb, String name, String description) {
        return verb.param().name(name).type(RestParamType.header).dataType("string").required(false)
                .description(description).endParam();
    }

    /** The request body: a schema record, or {@code byte[]} for binary uploads. */
    public RestDefinition bodyParam(RestDefinition verb, Class<?> type, String description) {
        RestDefinition described = verb.param().name("body").type(RestParamType.body).required(true)
                .description(description).endParam();
        return visible(type) ? described.type(type) : described;
    }

    /** The bearer token, the tenant path parameter and the problems every tenant endpoint may answer. */
    public RestDefinition tenantScoped(RestDefinition verb) {
        return problem(problem(problem(problem(pathParam(verb.security(BEARER), "tenant", "The tenant's name"),
                400, "Invalid request; errors[].field names the part at fault"),
                401, "No valid bearer token (Authorization: Bearer <token>)"),
                404, "No such tenant or resource; another tenant's resources look the same"),
                429, "Over the tenant's request rate or instance quota; see Retry-After");
    }

    public RestDefinition traced(RestDefinition verb) {
        return headerParam(verb, "traceparent", "W3C trace context; the answer's traceparent carries the same trace id");
    }

    public RestDefinition answer(RestDefinition verb, int code, String message, Class<?> model) {
        var response = verb.responseMessage().code(code).message(message).contentType(ResponseWriter.JSON);
        return (model != null && visible(model) ? response.responseModel(model) : response).endResponseMessage();
    }

    public RestDefinition problem(RestDefinition verb, int code, String message) {
        var response = verb.responseMessage().code(code).message(message).contentType(ProblemDocument.MEDIA_TYPE);
        return (visible(ProblemDocument.class) ? response.responseModel(ProblemDocument.class) : response)
                .endResponseMessage();
    }

    /** A header of the last verb's answer with this code, such as {@code Location} on a 201. */
    public RestDefinition answerHeader(RestDefinition verb, int code, String name, String description) {
        VerbDefinition last = verb.getVerbs().get(verb.getVerbs().size() - 1);
        for (ResponseMessageDefinition response : responses(last)) {
            if (response.getCode().equals(Integer.toString(code))) {
                addHeader(response, name, description);
            }
        }
        return verb;
    }

    /**
     * What every operation may answer besides its own answers, so the document says it once for all: problem
     * documents for a refused token and the request rate (authenticated operations), an oversize body (operations
     * with one), a server failure (500) and a node not ready (503); {@code Retry-After} on 429 and 503; and the
     * {@code traceparent} of the request and of every answer.
     */
    public void complete(VerbDefinition verb) {
        if (verb.getParams() == null) {
            verb.setParams(new ArrayList<>());
        }
        if (verb.getParams().stream().noneMatch(p -> TRACEPARENT.equals(p.getName()))) {
            ParamDefinition trace = new ParamDefinition();
            trace.setName(TRACEPARENT);
            trace.setType(RestParamType.header);
            trace.setDataType("string");
            trace.setRequired(false);
            trace.setDescription("W3C trace context; the answer's traceparent carries the same trace id");
            verb.getParams().add(trace);
        }
        if (verb.getSecurity() != null && !verb.getSecurity().isEmpty()) {
            ensureProblem(verb, 401, "No valid bearer token (Authorization: Bearer <token>); WWW-Authenticate says why");
            ensureProblem(verb, 429, "Over the tenant's request rate or quota; retry after Retry-After seconds");
        }
        if (verb.getParams().stream().anyMatch(p -> p.getType() == RestParamType.body)) {
            ensureProblem(verb, 413, "The body is over the limit");
        }
        ensureProblem(verb, 500, "The server failed; the detail quotes an error id to find in its logs");
        ensureProblem(verb, 503, "Not ready on this node (a subsystem is starting or down); retry after Retry-After seconds");
        for (ResponseMessageDefinition response : responses(verb)) {
            addHeader(response, TRACEPARENT, "W3C trace context of this request, a child of the caller's when one came");
            if (response.getCode().equals("429") || response.getCode().equals("503")) {
                addHeader(response, RETRY_AFTER, "Seconds to wait before trying again");
            }
        }
    }

    private void ensureProblem(VerbDefinition verb, int code, String message) {
        List<ResponseMessageDefinition> responses = responses(verb);
        if (responses.stream().noneMatch(r -> r.getCode().equals(Integer.toString(code)))) {
            ResponseMessageDefinition response = new ResponseMessageDefinition(verb);
            response.setCode(Integer.toString(code));
            response.setMessage(message);
            response.setContentType(ProblemDocument.MEDIA_TYPE);
            if (visible(ProblemDocument.class)) {
                response.setResponseModel(ProblemDocument.class.getCanonicalName());
            }
            responses.add(response);
        }
    }

    private static List<ResponseMessageDefinition> responses(VerbDefinition verb) {
        if (verb.getResponseMsgs() == null) {
            verb.setResponseMsgs(new ArrayList<>());
        }
        return verb.getResponseMsgs();
    }

    private static void addHeader(ResponseMessageDefinition response, String name, String description) {
        if (response.getHeaders() == null) {
            response.setHeaders(new ArrayList<>());
        }
        if (response.getHeaders().stream().noneMatch(h -> name.equals(h.getName()))) {
            ResponseHeaderDefinition header = new ResponseHeaderDefinition(response);
            header.setName(name);
            header.setDescription(description);
            header.setDataType("string");
            response.getHeaders().add(header);
        }
    }

    private boolean visible(Class<?> type) {
        if (type.isArray() || type.isPrimitive()) {
            return true;
        }
        try {
            // The REST model keeps a class by its canonical name, and the generator loads it by that name.
            return camel.getClassResolver().resolveClass(type.getCanonicalName()) == type;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
