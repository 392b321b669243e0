package io.orrery.gateway.internal.http;

import io.orrery.api.tenant.Principal;
import io.orrery.api.tenant.Tenant;
import io.orrery.api.tenant.TenantDirectory;
import io.orrery.api.trace.TraceContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * What every request passes before an endpoint's handler: a request Camel could not parse is refused, then the
 * bearer token is checked (401), the tenant's rate taken (429), the path's tenant checked against the caller
 * (404: another tenant's resources are not acknowledged to exist) and the query string parsed. An administrator's
 * request on a tenant's path takes that tenant's rate once the tenant is known to exist.
 */
public final class RequestGate {

    /**
     * Exchange property set by the Camel runtime's REST binding when it could not parse the request (a bad query
     * string, a malformed form or multipart body): the gateway answers 400 instead of Camel's 500.
     */
    public static final String REQUEST_ERROR = "OrreryRequestError";
    /** Beside {@link #REQUEST_ERROR}: 413 when the body crossed the runtime's request size cap, else 400. */
    public static final String REQUEST_ERROR_STATUS = "OrreryRequestErrorStatus";
    /** Exchange property set by the Camel runtime's REST binding: the client's address, for failed-login throttling. */
    public static final String CLIENT_ADDRESS = "OrreryClientAddress";

    private final TenantDirectory directory;
    private final BearerAuthentication authentication;
    private final TenantRateLimiter limiter;

    public RequestGate(TenantDirectory directory, TenantRateLimiter limiter) {
        this(directory, limiter, BearerAuthentication.FailureLimit.DEFAULT);
    }

    /** @param failures how many failed authentications a client may have before it is throttled */
    public RequestGate(TenantDirectory directory, TenantRateLimiter limiter, BearerAuthentication.FailureLimit failures) {
        this.directory = directory;
        this.authentication = directory == null ? null : new BearerAuthentication(directory, limiter.buckets(),
                failures);
        this.limiter = limiter;
    }

    /**
     * A gate for a node whose tenant directory is not up (yet): anonymous requests to endpoints that allow them
     * pass; anything that needs a token is answered 503.
     */
    public static RequestGate withoutAuthentication() {
        return new RequestGate(null, null);
    }

    ApiRequest open(Exchange exchange, EndpointSpec spec, TraceContext trace) {
        Object unparsable = exchange.getProperty(REQUEST_ERROR);
        if (unparsable != null) {
            if (Integer.valueOf(413).equals(exchange.getProperty(REQUEST_ERROR_STATUS))) {
                throw new ApiProblem(413, "too-large", "Content too large", "body",
                        "the body is larger than this server accepts");
            }
            throw ApiProblem.badRequest("request", "the request could not be parsed: "
                    + ApiProblem.printable(unparsable.toString()));
        }
        Map<String, String> path = pathVariables(exchange, spec);
        String rawQuery = exchange.getIn().getHeader(Exchange.HTTP_QUERY, String.class);
        boolean anonymous = spec.tokenOptional() && exchange.getIn().getHeader("Authorization") == null;
        if (spec.authenticate() && !anonymous && authentication == null) {
            throw ApiProblem.unavailable("authentication is not available on this node yet");
        }
        Principal principal = spec.authenticate() && !anonymous ? authenticate(exchange, rawQuery) : null;
        if (principal != null) {
            RequiredScope.check(principal, spec.id(), exchange.getIn().getHeader(Exchange.HTTP_METHOD, String.class));
        }
        if (spec.tenantScoped()) {
            String tenant = path.get("tenant");
            requireVisibleTenant(principal, tenant);
            if (principal != null && principal.isAdmin()) {
                // An administrator acting on a tenant spends that tenant's rate like the tenant would.
                limiter.acquire(tenant, directory.quota(tenant));
            }
        }
        return new ApiRequest(exchange, trace, principal, path, QueryString.parse(rawQuery, spec.query()));
    }

    /**
     * The path's variables as Camel's REST binding set them from the matched request path (decoded by Jetty). The
     * binding sets them after the request's headers and query parameters, so neither can stand in for them.
     */
    private static Map<String, String> pathVariables(Exchange exchange, EndpointSpec spec) {
        Map<String, String> path = new LinkedHashMap<>();
        for (String name : spec.variables()) {
            Object value = exchange.getIn().getHeader(name);
            if (!(value instanceof String text) || text.isEmpty()) {
                throw ApiProblem.notFound(name, "no resource at this path");
            }
            path.put(name, text);
        }
        return path;
    }

    private Principal authenticate(Exchange exchange, String rawQuery) {
        // Camel copies query parameters into the headers, so a query parameter could pose as the header.
        if (rawQuery != null && rawQuery.toLowerCase(Locale.ROOT).matches("(.*&)?(authorization|access_token)=.*")) {
            throw ApiProblem.unauthorized("credentials are not accepted in the query string; use the Authorization header")
                    .withHeader("WWW-Authenticate", "Bearer realm=\"orrery\"");
        }
        Object header = exchange.getIn().getHeader("Authorization");
        if (header instanceof List<?>) {
            throw ApiProblem.unauthorized("give one Authorization header").withHeader("WWW-Authenticate", "Bearer realm=\"orrery\"");
        }
        Principal principal = authentication.authenticate(header == null ? null : header.toString(),
                exchange.getProperty(CLIENT_ADDRESS, String.class));
        if (principal.isAdmin()) {
            limiter.acquireAdmin(directory.quota(null));
        } else {
            limiter.acquire(principal.tenant(), directory.quota(principal.tenant()));
        }
        return principal;
    }

    private void requireVisibleTenant(Principal principal, String tenant) {
        boolean visible = Tenant.NAME.matcher(tenant).matches() && principal.mayAccess(tenant)
                && (!principal.isAdmin() || directory.find(tenant).isPresent());
        if (!visible) {
            throw ApiProblem.notFound("tenant", "tenant: no tenant named '" + ApiProblem.printable(tenant) + "'");
        }
    }
}
