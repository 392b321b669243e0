package io.orrery.gateway.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The part of a Prometheus text exposition that belongs to one tenant: the samples labelled {@code tenant="<name>"},
 * each metric family's {@code # HELP} and {@code # TYPE} lines only when one of its samples is kept. Label values
 * are read with their escapes, so a value that merely contains {@code tenant="x"} is not taken for the label.
 */
final class TenantSeries {

    private TenantSeries() {
    }

    static String of(String exposition, String tenant) {
        StringBuilder kept = new StringBuilder();
        List<String> familyComments = new ArrayList<>();
        for (String line : exposition.split("\n")) {
            if (line.startsWith("#")) {
                if (line.startsWith("# HELP ")) {
                    familyComments.clear();
                }
                familyComments.add(line);
            } else if (!line.isBlank() && tenant.equals(label(line, "tenant"))) {
                familyComments.forEach(comment -> kept.append(comment).append('\n'));
                familyComments.clear();
                kept.append(line).append('\n');
            }
        }
        return kept.toString();
    }

    /** The value of the sample's label, unescaped; null when the sample has no such label or is malformed. */
    static String label(String sample, String name) {
        int open = sample.indexOf('{');
        if (open < 0) {
            return null;
        }
        int at = open + 1;
        while (at < sample.length() && sample.charAt(at) != '}') {
            int equals = sample.indexOf('=', at);
            if (equals < 0 || equals + 1 >= sample.length() || sample.charAt(equals + 1) != '"') {
                return null;
            }
            String label = sample.substring(at, equals).trim();
            StringBuilder value = new StringBuilder();
            int i = equals + 2;
            for (; i < sample.length() && sample.charAt(i) != '"'; i++) {
                char c = sample.charAt(i);
                if (c == '\\' && i + 1 < sample.length()) {
                    char escaped = sample.charAt(++i);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(c);
                }
            }
            if (i >= sample.length()) {
                return null;
            }
            if (label.equals(name)) {
                return value.toString();
            }
            at = i + 1;
            if (at < sample.length() && sample.charAt(at) == ',') {
                at++;
            }
        }
        return null;
    }
}
