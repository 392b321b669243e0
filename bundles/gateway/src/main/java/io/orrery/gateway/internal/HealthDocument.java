package io.orrery.gateway.internal;

import io.orrery.api.health.ComponentHealth;
import io.orrery.api.health.HealthReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shape of a health report: overall status, failing component names, then each component. */
record HealthDocument(String status, List<String> failing, Map<String, Map<String, Object>> components) {

    static HealthDocument of(HealthReport report) {
        Map<String, Map<String, Object>> components = new LinkedHashMap<>();
        for (ComponentHealth c : report.components()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("status", c.status().name());
            entry.putAll(c.details());
            components.put(c.component(), entry);
        }
        return new HealthDocument(report.isUp() ? "UP" : "DOWN", report.failing(), components);
    }
}
