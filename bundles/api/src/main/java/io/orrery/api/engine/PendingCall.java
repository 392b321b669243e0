package io.orrery.api.engine;

import java.time.Instant;

/** A call that went out and has not settled yet. */
public record PendingCall(String callId, String rule, CallRequest request, Instant madeAt) {
}
