package io.orrery.gateway.schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /health}: UP when every subsystem is, DOWN otherwise, and each subsystem's status. The failing
 * subsystems and each one's details (members, brokers, addresses, errors) are shown to the administrator only.
 *
 * @param status     UP or DOWN
 * @param failing    the subsystems that are not UP; administrator only
 * @param components per subsystem its {@code status}, and for the administrator its details
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HealthStatus(String status, List<String> failing, Map<String, Map<String, Object>> components) { }
