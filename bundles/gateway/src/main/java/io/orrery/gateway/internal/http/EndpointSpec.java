package io.orrery.gateway.internal.http;

import java.util.Set;

/**
 * What the gateway checks for one endpoint before its handler runs.
 *
 * @param id           short name, used for the route id and metrics ({@code instance-create})
 * @param path         the REST path template, {@code /tenants/{tenant}/...}; {@code {tenant}} makes the endpoint
 *                     tenant-scoped: only that tenant's tokens and the administrator may use it
 * @param query        the query parameters it accepts; any other is refused (400)
 * @param authenticate whether a bearer token is required
 * @param tokenOptional whether a request without a token is served too (anonymously); a given token is still checked
 */
public record EndpointSpec(String id, PathTemplate path, Set<String> query, boolean authenticate, boolean tokenOptional) {

    public static EndpointSpec of(String id, String path, String... query) {
        return new EndpointSpec(id, new PathTemplate(path), Set.of(query), true, false);
    }

    /** An endpoint anyone may call; a caller who sends a token is authenticated and may be shown more. */
    public static EndpointSpec tokenOptional(String id, String path, String... query) {
        return new EndpointSpec(id, new PathTemplate(path), Set.of(query), true, true);
    }

    public boolean tenantScoped() {
        return path.variables().contains("tenant");
    }
}
