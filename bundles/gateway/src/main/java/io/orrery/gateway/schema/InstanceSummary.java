package io.orrery.gateway.schema;

/** One instance in a list. */
public record InstanceSummary(String tenant, String workflow, String key, int version, String status,
                              boolean completed, String failure, String updatedAt) { }
