package io.orrery.trace.internal.span;

import java.util.regex.Pattern;

/** The shape of a W3C trace id, checked before one reaches a query. */
public final class TraceIds {

    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");

    private TraceIds() {
    }

    public static boolean valid(String traceId) {
        return traceId != null && TRACE_ID.matcher(traceId).matches();
    }
}
