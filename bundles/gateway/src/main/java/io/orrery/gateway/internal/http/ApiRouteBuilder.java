package io.orrery.gateway.internal.http;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestDefinition;

/**
 * Base of the gateway's REST route builders. Each endpoint is a REST verb forwarding to a direct route that runs
 * an {@link ApiEndpoint}. Anything that escapes becomes a problem document (never a stack trace). The routes do
 * not stream-cache: the gateway reads bodies itself, bounded, whether Camel hands over a copy or the raw stream.
 */
public abstract class ApiRouteBuilder extends RouteBuilder {

    protected static final String JSON = ResponseWriter.JSON;
    /** The OpenAPI security scheme every authenticated endpoint names. */
    protected static final String BEARER = RestDocs.BEARER;

    private final RequestGate gate;
    private final GatewayMetrics metrics;

    protected ApiRouteBuilder(RequestGate gate, GatewayMetrics metrics) {
        this.gate = gate;
        this.metrics = metrics;
    }

    @Override
    public final void configure() {
        onException(Exception.class).handled(true).process(ResponseWriter::unexpected);
        routes();
        RestDocs docs = new RestDocs(getContext());
        getRestCollection().getRests().forEach(rest -> rest.getVerbs().forEach(verb -> {
            verb.setStreamCache("false");
            docs.complete(verb);
        }));
    }

    /** Declares the REST verbs (with their OpenAPI description) and their endpoints. */
    protected abstract void routes();

    /** A REST path whose verbs need the bearer token (see {@link RestDocs#tenantScoped}). */
    protected RestDefinition authenticatedRest(String path, String tag) {
        return rest(path).tag(tag).securityDefinitions()
                .bearerToken(BEARER, "An API token: a tenant's (orrery:tenant-create, orrery:tenant-token) or the "
                        + "administrator's", "opaque").end();
    }

    /** The direct route behind the REST verb {@code to("direct:orrery-<id>")}. */
    protected void endpoint(EndpointSpec spec, ApiHandler handler) {
        from(direct(spec)).routeId("orrery-" + spec.id()).streamCache("false")
                .process(new ApiEndpoint(gate, spec, handler, metrics));
    }

    protected static String direct(EndpointSpec spec) {
        return "direct:orrery-" + spec.id();
    }
}
