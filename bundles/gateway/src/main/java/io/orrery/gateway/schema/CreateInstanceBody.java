package io.orrery.gateway.schema;

import java.util.Map;

/**
 * The body of {@code POST .../instances} (and of an {@code orrery.requests} record, beside tenant, workflow and
 * idempotencyKey).
 *
 * @param key      the business key; generated when absent
 * @param input    the workflow's input fields
 * @param priority 0 (lowest) to 9 (highest); 5 when absent
 */
public record CreateInstanceBody(String key, Map<String, Object> input, Integer priority) { }
