package io.orrery.emirax.dsl;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** Durations as tenants write them: {@code '500ms'}, {@code '30s'}, {@code '10m'}, {@code '2h'}, {@code '1d'}, ISO-8601, or milliseconds. */
public final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    public static Duration parse(Object value, String what) {
        if (value instanceof Duration d) {
            return d;
        }
        if (value instanceof Number n) {
            return Duration.ofMillis(n.longValue());
        }
        String text = String.valueOf(value).trim();
        var m = SHORT.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(what + ": '" + text + "' is not a duration (e.g. 500ms, 30s, 10m, 2h, 1d)");
        }
    }
}
