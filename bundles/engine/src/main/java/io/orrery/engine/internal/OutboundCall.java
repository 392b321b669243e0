package io.orrery.engine.internal;

import io.orrery.api.engine.CallKind;
import io.orrery.api.engine.InstanceId;
import java.util.Map;

/**
 * A call leaving the engine for a worker (functions) or a timer. {@link #messageId()} is unique across the
 * cluster and stable, so enqueueing it twice (a re-dispatch after a crash) is harmless.
 *
 * @param timeoutMs   per attempt
 * @param maxAttempts first attempt plus retries
 */
public record OutboundCall(InstanceId instance, String callId, String rule, CallKind kind, String function,
                           Map<String, Object> args, String key, int priority, long timeoutMs, int maxAttempts,
                           String exclusive, long delayMs, String traceId) {

    public String messageId() {
        return instance.tenant() + "/" + instance.workflow() + "/" + instance.key() + "/" + callId;
    }
}
