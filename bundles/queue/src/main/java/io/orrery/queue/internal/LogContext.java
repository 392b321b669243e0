package io.orrery.queue.internal;

import org.slf4j.MDC;

/**
 * Puts a message's tenant and trace id into the SLF4J MDC (keys {@code tenant}, {@code traceId}) for the log lines
 * written inside it, restoring what was there before.
 */
final class LogContext implements AutoCloseable {

    private final String previousTenant;
    private final String previousTrace;

    private LogContext(String tenant, String traceId) {
        previousTenant = MDC.get("tenant");
        previousTrace = MDC.get("traceId");
        put("tenant", tenant);
        put("traceId", traceId);
    }

    static LogContext of(String tenant, String traceId) {
        return new LogContext(tenant, traceId);
    }

    @Override
    public void close() {
        put("tenant", previousTenant);
        put("traceId", previousTrace);
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
