package io.orrery.gateway.internal.http;

import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.util.URISupport;

/**
 * An endpoint's query parameters, decoded by Camel's {@link URISupport#parseQuery}. Read from the raw query string
 * rather than from the message headers, where Camel also puts the request's own headers: only the endpoint's
 * parameters are accepted, each at most once.
 */
final class QueryString {

    private final Map<String, Object> values;

    private QueryString(Map<String, Object> values) {
        this.values = values;
    }

    /** 400 naming the parameter for one the endpoint does not take, {@code query} for a malformed string. */
    static QueryString parse(String rawQuery, Set<String> accepted) {
        Map<String, Object> values;
        try {
            values = rawQuery == null || rawQuery.isEmpty() ? Map.of() : URISupport.parseQuery(rawQuery, false, false);
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw ApiProblem.badRequest("query", "the query string is not valid percent-encoded UTF-8");
        }
        for (String name : values.keySet()) {
            if (!accepted.contains(name)) {
                throw ApiProblem.badRequest(ApiProblem.printable(name), "unknown query parameter '"
                        + ApiProblem.printable(name) + "'"
                        + (accepted.isEmpty() ? "; this endpoint takes none" : "; accepted: " + accepted));
            }
        }
        return new QueryString(values);
    }

    /** The parameter's one value, or null when absent; 400 when given twice. */
    String single(String name) {
        Object given = values.get(name);
        if (given instanceof List<?> all) {
            throw ApiProblem.badRequest(name, "given " + all.size() + " times; give it once");
        }
        return given == null ? null : given.toString();
    }
}
