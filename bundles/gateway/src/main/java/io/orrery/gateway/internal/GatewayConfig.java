package io.orrery.gateway.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The gateway's part of {@code etc/io.orrery.api.cfg} (the Camel runtime reads port, host and contextPath from the
 * same file). Per-tenant quota overrides are {@code quota.<tenant>.<limit>}, read from the raw properties.
 */
@ObjectClassDefinition(name = "Orrery API limits", description = "Tenants, quotas and request limits of the REST API")
public @interface GatewayConfig {

    @AttributeDefinition(description = "SHA-256 of the administrator token as sha256:<64 hex digits>; empty generates "
            + "one at first start into adminTokenFile")
    String adminTokenHash() default "";

    @AttributeDefinition(description = "Where a generated administrator token is written; empty is "
            + "<karaf.data>/orrery/admin-token")
    String adminTokenFile() default "";

    @AttributeDefinition(description = "Largest bundle upload per tenant, in bytes")
    long quota_maxBundleBytes() default 20L * 1024 * 1024;

    @AttributeDefinition(description = "Most workflow instances per tenant")
    long quota_maxInstances() default 100_000L;

    @AttributeDefinition(description = "Sustained REST requests per second per tenant")
    double quota_requestsPerSecond() default 50;

    @AttributeDefinition(description = "REST requests a tenant may send at once above its sustained rate")
    int quota_burst() default 100;

    @AttributeDefinition(description = "Failed authentications a client address (or a presented token's prefix) may "
            + "have at once, across the cluster, before its failures are answered 429; a valid token is still "
            + "accepted from a throttled address (a prefix's attempts are all refused)")
    int auth_failureBurst() default 10;

    @AttributeDefinition(description = "Failed authentications per minute a throttled client address (or token prefix) "
            + "gets back")
    double auth_failuresPerMinute() default 10;

    @AttributeDefinition(description = "Largest JSON request body, in bytes")
    int maxBodyBytes() default 1024 * 1024;

    @AttributeDefinition(description = "Longest long-poll (?wait=) in seconds; longer waits are shortened to it")
    int maxWaitSeconds() default 60;

    @AttributeDefinition(description = "How long an Idempotency-Key is remembered, in hours")
    int idempotencyTtlHours() default 24;

    @AttributeDefinition(description = "Kafka topic of instance requests")
    String requestsTopic() default "orrery.requests";

    @AttributeDefinition(description = "Kafka topic where malformed instance requests go, with the reason in header orrery-error")
    String requestsDlqTopic() default "orrery.requests.dlq";

    @AttributeDefinition(description = "Kafka consumer group of the request ingestion")
    String requestsGroupId() default "orrery-gateway";
}
