package io.orrery.gateway.internal.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A REST path template matched against the raw request URI. The gateway reads path parameters from the URI
 * itself rather than from message headers, which a request's own headers and query parameters can also populate.
 * The template matches the URI's last segments, so it does not depend on the configured context path.
 */
public final class PathTemplate {

    private final String template;
    private final String[] segments;

    public PathTemplate(String template) {
        this.template = template;
        this.segments = strip(template).split("/");
    }

    public String template() {
        return template;
    }

    public List<String> variables() {
        List<String> names = new ArrayList<>();
        for (String s : segments) {
            if (isVariable(s)) {
                names.add(s.substring(1, s.length() - 1));
            }
        }
        return names;
    }

    /** The decoded variables, or null when the URI does not end with this template's shape. */
    public Map<String, String> match(String rawUri) {
        if (rawUri == null) {
            return null;
        }
        String[] given = strip(rawUri).split("/", -1);
        if (given.length < segments.length) {
            return null;
        }
        int offset = given.length - segments.length;
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < segments.length; i++) {
            String raw = given[offset + i];
            if (isVariable(segments[i])) {
                String value = PercentDecoding.decode(raw, false);
                if (value == null || value.isEmpty()) {
                    return null;
                }
                values.put(segments[i].substring(1, segments[i].length() - 1), value);
            } else if (!segments[i].equals(raw)) {
                return null;
            }
        }
        return values;
    }

    private static boolean isVariable(String segment) {
        return segment.startsWith("{") && segment.endsWith("}");
    }

    private static String strip(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
