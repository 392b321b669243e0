package io.orrery.api.engine;

import java.util.Map;

/**
 * A settled call coming back to the engine: a result, or an error once its attempts are spent. May arrive more
 * than once; the engine applies it once.
 */
public record CallResult(InstanceId instance, String callId, Map<String, Object> result, String error,
                         int attempts) {

    public static CallResult success(InstanceId instance, String callId, Map<String, Object> result, int attempts) {
        return new CallResult(instance, callId, result, null, attempts);
    }

    public static CallResult failure(InstanceId instance, String callId, String error, int attempts) {
        return new CallResult(instance, callId, null, error, attempts);
    }

    public boolean failed() {
        return error != null;
    }
}
