package io.orrery.gateway.internal.instance;

import java.util.regex.Pattern;

/** What workflow names, business keys and Idempotency-Keys may look like: safe in a URL path segment and in SQL. */
public final class Names {

    /** Workflow names as the Emirax DSL allows them in practice: {@code encode-video}, {@code media.qc}. */
    public static final Pattern WORKFLOW = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    /** Business keys: a video id, a UUID, {@code order:42}, {@code user@example.com}. No '/', spaces or controls. */
    public static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@=+~-]{0,199}");
    /** Idempotency-Key values: printable ASCII, as clients generate them (usually a UUID). */
    public static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

    private Names() {
    }

    static boolean isWorkflow(String name) {
        return name != null && WORKFLOW.matcher(name).matches();
    }

    static boolean isKey(String key) {
        return key != null && KEY.matcher(key).matches();
    }
}
