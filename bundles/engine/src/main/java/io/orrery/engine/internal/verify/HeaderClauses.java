package io.orrery.engine.internal.verify;

import java.util.ArrayList;
import java.util.List;

/**
 * The names in an OSGi manifest header: clauses separated by commas, each one or more names separated by semicolons
 * and followed by {@code attribute=value} or {@code directive:=value} parts; quoted text may hold either separator.
 * Only the names matter to the verification (a clause may name several packages: {@code a;b;version=1}).
 */
public final class HeaderClauses {

    private HeaderClauses() {
    }

    /** Each clause's names; a clause with no name yields an empty list. */
    static List<List<String>> names(String header) {
        List<List<String>> clauses = new ArrayList<>();
        if (header == null || header.isBlank()) {
            return clauses;
        }
        for (String clause : split(header, ',')) {
            List<String> names = new ArrayList<>();
            for (String part : split(clause, ';')) {
                String p = part.trim();
                if (!p.isEmpty() && p.indexOf('=') < 0) {
                    names.add(unquote(p));
                }
            }
            clauses.add(names);
        }
        return clauses;
    }

    /** Every name of every clause, in order. */
    static List<String> allNames(String header) {
        return names(header).stream().flatMap(List::stream).toList();
    }

    /**
     * Splits at {@code separator} outside double quotes, keeping quotes and escapes for the caller; the one
     * quote-aware splitter of manifest headers in the engine.
     */
    public static List<String> split(String text, char separator) {
        List<String> out = new ArrayList<>();
        var current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && quoted && i + 1 < text.length()) {
                current.append(c).append(text.charAt(++i));
            } else if (c == '"') {
                quoted = !quoted;
                current.append(c);
            } else if (c == separator && !quoted) {
                out.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        out.add(current.toString());
        return out;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
