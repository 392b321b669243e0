package io.orrery.gateway.internal.instance;

/**
 * The answer to an instance request: the instance's key and status after the request's facts were added, the
 * request's trace id, and whether it is the replay of an earlier answer to the same Idempotency-Key.
 */
public record CreatedInstance(String key, String status, String traceId, boolean replayed) {
}
