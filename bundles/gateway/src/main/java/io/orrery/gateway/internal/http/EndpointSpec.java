package io.orrery.gateway.internal.http;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the gateway checks for one endpoint before its handler runs.
 *
 * @param id           short name, used for the route id and metrics ({@code instance-create})
 * @param path         the REST path template, {@code /tenants/{tenant}/...}, as declared to Camel's REST DSL, which
 *                     binds each {@code {name}} from the matched request path; {@code {tenant}} makes the endpoint
 *                     tenant-scoped: only that tenant's tokens and the administrator may use it
 * @param query        the query parameters it accepts; any other is refused (400)
 * @param authenticate whether a bearer token is required
 * @param tokenOptional whether a request without a token is served too (anonymously); a given token is still checked
 */
public record EndpointSpec(String id, String path, Set<String> query, boolean authenticate, boolean tokenOptional) {

    private static final Pattern VARIABLE = Pattern.compile("\\{([^/{}]+)}");

    public static EndpointSpec of(String id, String path, String... query) {
        return new EndpointSpec(id, path, Set.of(query), true, false);
    }

    /** An endpoint anyone may call; a caller who sends a token is authenticated and may be shown more. */
    public static EndpointSpec tokenOptional(String id, String path, String... query) {
        return new EndpointSpec(id, path, Set.of(query), true, true);
    }

    /** The names of the path's {@code {variables}}, in order. */
    public List<String> variables() {
        Matcher m = VARIABLE.matcher(path);
        return m.results().map(r -> r.group(1)).toList();
    }

    public boolean tenantScoped() {
        return variables().contains("tenant");
    }
}
