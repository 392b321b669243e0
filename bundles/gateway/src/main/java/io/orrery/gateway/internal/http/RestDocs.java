package io.orrery.gateway.internal.http;

import io.orrery.gateway.schema.ProblemDocument;
import org.apache.camel.CamelContext;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.RestParamType;

/**
 * Describes a REST verb's parameters and answers for the OpenAPI document. Body shapes are the records of
 * {@code io.orrery.gateway.schema}, which the generator loads by name through the Camel context's class
 * resolver; where that resolver cannot see them (the Camel runtime bundle without a dynamic import of
 * {@code io.orrery.*}) the shapes are left out rather than breaking the whole document.
 */
public final class RestDocs {

    /** The OpenAPI security scheme of every authenticated endpoint. */
    public static final String BEARER = "bearer";

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
        return (visible(model) ? response.responseModel(model) : response).endResponseMessage();
    }

    public RestDefinition problem(RestDefinition verb, int code, String message) {
        var response = verb.responseMessage().code(code).message(message).contentType(ProblemDocument.MEDIA_TYPE);
        return (visible(ProblemDocument.class) ? response.responseModel(ProblemDocument.class) : response)
                .endResponseMessage();
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
