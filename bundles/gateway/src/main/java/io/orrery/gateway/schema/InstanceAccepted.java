package io.orrery.gateway.schema;

/** The 202 answer of create and retry: the instance's key and status, and the request's trace id. */
public record InstanceAccepted(String key, String status, String traceId) { }
