package io.orrery.store.internal;

import java.util.regex.Pattern;

/** A JDBC URL fit for logs and health details: password parameters masked (H2 {@code ;PASSWORD=}, {@code ?password=}). */
public final class SafeJdbcUrl {

    private static final Pattern SECRET = Pattern.compile("(?i)([?&;](?:ssl)?password=)[^&;]*");

    private SafeJdbcUrl() {
    }

    public static String of(String jdbcUrl) {
        return jdbcUrl == null ? "" : SECRET.matcher(jdbcUrl).replaceAll("$1***");
    }
}
