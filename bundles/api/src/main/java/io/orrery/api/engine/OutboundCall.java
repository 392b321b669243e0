package io.orrery.api.engine;

import java.util.Map;

/**
 * A call leaving the engine for a worker (functions) or a timer. {@link #messageId()} is unique across the
 * cluster and stable, so enqueueing it twice (a re-dispatch after a crash) is harmless.
 *
 * @param timeoutMs    per attempt
 * @param maxAttempts  first attempt plus retries
 * @param parentSpanId the span of the firing that made the call (its queue wait and result nest under it), or
 *                     null when untraced or re-dispatched after a crash
 */
public record OutboundCall(InstanceId instance, String callId, String rule, CallKind kind, String function,
                           Map<String, Object> args, String key, int priority, long timeoutMs, int maxAttempts,
                           String exclusive, long delayMs, String traceId, String parentSpanId) {

    /** A call without its firing's span. */
    public OutboundCall(InstanceId instance, String callId, String rule, CallKind kind, String function,
                        Map<String, Object> args, String key, int priority, long timeoutMs, int maxAttempts,
                        String exclusive, long delayMs, String traceId) {
        this(instance, callId, rule, kind, function, args, key, priority, timeoutMs, maxAttempts, exclusive, delayMs,
                traceId, null);
    }

    public String messageId() {
        return instance.tenant() + "/" + instance.workflow() + "/" + instance.key() + "/" + callId;
    }
}
