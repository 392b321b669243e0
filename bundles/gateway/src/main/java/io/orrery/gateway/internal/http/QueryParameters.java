package io.orrery.gateway.internal.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The query string, parsed by the gateway (Camel merges query parameters into the message headers, where they
 * could pass for real headers). Only an endpoint's own parameters are accepted.
 */
public final class QueryParameters {

    private final Map<String, List<String>> values;

    private QueryParameters(Map<String, List<String>> values) {
        this.values = values;
    }

    /** Parses a raw query string; 400 naming the parameter for bad escapes or parameters the endpoint lacks. */
    public static QueryParameters parse(String rawQuery, Set<String> accepted) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = PercentDecoding.decode(eq < 0 ? pair : pair.substring(0, eq), true);
                String value = eq < 0 ? "" : PercentDecoding.decode(pair.substring(eq + 1), true);
                if (name == null || value == null) {
                    throw ApiProblem.badRequest("query", "the query string is not valid percent-encoded UTF-8");
                }
                if (!accepted.contains(name)) {
                    throw ApiProblem.badRequest(printable(name), "unknown query parameter '" + printable(name)
                            + "'" + (accepted.isEmpty() ? "; this endpoint takes none" : "; accepted: " + accepted));
                }
                values.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            }
        }
        return new QueryParameters(values);
    }

    /** The parameter's one value, or null when absent; 400 when given twice. */
    public String single(String name) {
        List<String> given = values.get(name);
        if (given == null) {
            return null;
        }
        if (given.size() > 1) {
            throw ApiProblem.badRequest(name, "given " + given.size() + " times; give it once");
        }
        return given.get(0);
    }

    static String printable(String s) {
        String clipped = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return clipped.replaceAll("\\p{Cntrl}", "?");
    }
}
