package io.orrery.gateway.internal.resource;

import io.orrery.api.rest.RestAnswer;
import io.orrery.api.rest.RestCall;
import io.orrery.api.rest.RestOperation;
import io.orrery.api.rest.RestProblem;
import io.orrery.api.rest.RestResource;
import io.orrery.api.tenant.Principal;
import io.orrery.api.trace.TraceContext;
import io.orrery.gateway.internal.ApiServices;
import io.orrery.gateway.internal.http.ApiHandler;
import io.orrery.gateway.internal.http.ApiProblem;
import io.orrery.gateway.internal.http.ApiRequest;
import io.orrery.gateway.internal.http.ApiResponse;
import io.orrery.gateway.internal.http.ApiRouteBuilder;
import io.orrery.gateway.internal.http.EndpointSpec;
import io.orrery.gateway.internal.http.RestDocs;
import org.apache.camel.model.rest.RestDefinition;

/**
 * The routes of one {@link RestResource} another bundle registered: each operation becomes a REST verb behind the
 * gateway's request gate, answered only for the resource's tenant and the administrator (404 for anyone else).
 */
public final class ResourceRouteBuilder extends ApiRouteBuilder {

    private final RestResource resource;

    public ResourceRouteBuilder(ApiServices services, RestResource resource) {
        super(services.gate(), services.metrics());
        this.resource = resource;
    }

    @Override
    protected void routes() {
        RestDocs docs = new RestDocs(getContext());
        for (RestOperation op : resource.operations()) {
            EndpointSpec spec = EndpointSpec.of(op.id(), op.path(), op.query().toArray(String[]::new));
            RestDefinition rest = authenticatedRest(op.path(), resource.tenant());
            RestDefinition verb = switch (op.method()) {
                case "GET" -> rest.get();
                case "POST" -> rest.post();
                case "PUT" -> rest.put();
                default -> rest.delete();
            };
            docs.problem(verb.id(op.id()).produces(JSON).description(op.description()), 404,
                    "Not found, or not the caller's").to(direct(spec));
            endpoint(spec, ApiHandler.immediate(request -> answer(op, request)));
        }
    }

    private ApiResponse answer(RestOperation op, ApiRequest request) throws Exception {
        if (request.principal() == null || !request.principal().mayAccess(resource.tenant())) {
            throw ApiProblem.notFound(null, "no resource at this path");
        }
        try {
            RestAnswer answer = op.handler().handle(new Call(request));
            return ApiResponse.json(answer.status(), answer.body());
        } catch (RestProblem problem) {
            throw switch (problem.status()) {
                case 400 -> ApiProblem.badRequest(problem.field(), problem.getMessage());
                case 404 -> ApiProblem.notFound(problem.field(), problem.getMessage());
                case 409 -> ApiProblem.conflict(problem.field(), problem.getMessage());
                case 422 -> ApiProblem.unprocessable(problem.field(), problem.getMessage());
                case 503 -> ApiProblem.unavailable(problem.getMessage());
                default -> ApiProblem.badRequest(problem.field(), problem.getMessage()
                        + " (" + problem.status() + ")");
            };
        }
    }

    /** The gateway's request as the contributing bundle sees it. */
    private record Call(ApiRequest request) implements RestCall {
        @Override public Principal principal() { return request.principal(); }
        @Override public TraceContext trace() { return request.trace(); }
        @Override public String path(String name) { return request.path(name); }
        @Override public String query(String name) { return request.query(name); }
        @Override public String header(String name) { return request.header(name); }
        @Override public byte[] body(long limit) { return request.body(limit, "body"); }
    }
}
