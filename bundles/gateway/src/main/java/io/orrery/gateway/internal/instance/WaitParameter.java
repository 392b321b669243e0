package io.orrery.gateway.internal.instance;

import io.orrery.gateway.internal.http.ApiProblem;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code ?wait=}: {@code 30s}, {@code 500ms}, {@code 2m} or plain seconds ({@code 30}); longer than the limit is cut to it. */
final class WaitParameter {

    private static final Pattern FORMAT = Pattern.compile("(\\d{1,7})(ms|s|m)?");

    private WaitParameter() {
    }

    static Duration parse(String value, Duration limit) {
        if (value == null) {
            return Duration.ZERO;
        }
        Matcher m = FORMAT.matcher(value.trim());
        if (!m.matches()) {
            throw ApiProblem.badRequest("wait", "expected a duration such as 30s, 500ms or 2m, got '"
                    + (value.length() > 20 ? value.substring(0, 20) + "..." : value) + "'");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration wait = switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofSeconds(amount);
        };
        return wait.compareTo(limit) > 0 ? limit : wait;
    }
}
