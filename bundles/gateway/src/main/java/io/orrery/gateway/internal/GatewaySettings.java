package io.orrery.gateway.internal;

import io.orrery.gateway.internal.http.BearerAuthentication.FailureLimit;
import java.time.Duration;

/** The gateway's own limits and topics, from {@link GatewayConfig}. */
public record GatewaySettings(int maxBodyBytes, Duration maxWait, Duration idempotencyTtl, String requestsTopic,
                              String requestsDlqTopic, String requestsGroupId, FailureLimit failureLimit) {

    public static GatewaySettings of(GatewayConfig config) {
        return new GatewaySettings(Math.max(1, config.maxBodyBytes()), Duration.ofSeconds(Math.max(0, config.maxWaitSeconds())),
                Duration.ofHours(Math.max(1, config.idempotencyTtlHours())), config.requestsTopic(),
                config.requestsDlqTopic(), config.requestsGroupId(),
                FailureLimit.of(config.auth_failuresPerMinute(), config.auth_failureBurst()));
    }

    public static GatewaySettings defaults() {
        return new GatewaySettings(1024 * 1024, Duration.ofSeconds(60), Duration.ofHours(24), "orrery.requests",
                "orrery.requests.dlq", "orrery-gateway", FailureLimit.DEFAULT);
    }

    public GatewaySettings withMaxBodyBytes(int bytes) {
        return new GatewaySettings(bytes, maxWait, idempotencyTtl, requestsTopic, requestsDlqTopic, requestsGroupId,
                failureLimit);
    }

    public GatewaySettings withMaxWait(Duration wait) {
        return new GatewaySettings(maxBodyBytes, wait, idempotencyTtl, requestsTopic, requestsDlqTopic, requestsGroupId,
                failureLimit);
    }

    public GatewaySettings withFailureLimit(FailureLimit limit) {
        return new GatewaySettings(maxBodyBytes, maxWait, idempotencyTtl, requestsTopic, requestsDlqTopic,
                requestsGroupId, limit);
    }
}
