package io.orrery.gateway.internal.http;

import io.orrery.api.tenant.Principal;
import io.orrery.api.trace.TraceContext;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/** One request that passed the gate: who sent it, for which tenant, its parameters, and a bounded body. */
public final class ApiRequest {

    private final Exchange exchange;
    private final TraceContext trace;
    private final Principal principal;
    private final Map<String, String> path;
    private final QueryString query;

    ApiRequest(Exchange exchange, TraceContext trace, Principal principal, Map<String, String> path,
               QueryString query) {
        this.exchange = exchange;
        this.trace = trace;
        this.principal = principal;
        this.path = path;
        this.query = query;
    }

    public TraceContext trace() {
        return trace;
    }

    public Principal principal() {
        return principal;
    }

    /** The tenant of a tenant-scoped endpoint, checked to exist and to be the caller's (or the caller is admin). */
    public String tenant() {
        return path.get("tenant");
    }

    public String path(String name) {
        return path.get(name);
    }

    public String query(String name) {
        return query.single(name);
    }

    /** A request header's one value, or null; 400 when the request repeats it. */
    public String header(String name) {
        Object value = exchange.getIn().getHeader(name);
        if (value instanceof List<?> values) {
            throw ApiProblem.badRequest(name, "header given " + values.size() + " times; give it once");
        }
        return value == null ? null : value.toString();
    }

    public String contentType() {
        return header(Exchange.CONTENT_TYPE);
    }

    /** The body, at most {@code limit} bytes (413 beyond); an empty array when there is none. */
    public byte[] body(long limit, String field) {
        return RequestBody.read(exchange, limit, field);
    }

    /** The URI of a resource below this request's path, for a {@code Location} header. */
    public String location(String child) {
        String uri = exchange.getIn().getHeader(Exchange.HTTP_URI, String.class);
        return (uri.endsWith("/") ? uri : uri + "/") + child;
    }
}
