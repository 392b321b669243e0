package io.orrery.engine.internal.extender;

import io.orrery.engine.internal.verify.HeaderClauses;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One clause of an OSGi-style manifest header: {@code name;attr=value}, clauses separated by commas, names and
 * values optionally in double quotes (a workflow's name may hold a comma).
 */
record HeaderClause(String name, Map<String, String> attributes) {

    static List<HeaderClause> parse(String header) {
        List<HeaderClause> clauses = new ArrayList<>();
        if (header == null || header.isBlank()) {
            return clauses;
        }
        for (String clause : HeaderClauses.split(header, ',')) {
            List<String> parts = HeaderClauses.split(clause, ';');
            String name = unquote(parts.get(0));
            if (name.isEmpty()) {
                continue;
            }
            Map<String, String> attributes = new LinkedHashMap<>();
            for (String part : parts.subList(1, parts.size())) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    attributes.put(part.substring(0, eq).trim(), unquote(part.substring(eq + 1)));
                }
            }
            clauses.add(new HeaderClause(name, attributes));
        }
        return clauses;
    }

    private static String unquote(String s) {
        String t = s.trim();
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
            return t.substring(1, t.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return t;
    }
}
