package io.orrery.api.health;

import java.util.Map;
import java.util.Objects;

/**
 * The health of one component: UP or DOWN, and details such as the member count or the JDBC product name.
 */
public record ComponentHealth(String component, Status status, Map<String, Object> details) {

    public enum Status { UP, DOWN }

    public ComponentHealth {
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(status, "status");
        details = Map.copyOf(details);
    }

    public static ComponentHealth up(String component, Map<String, Object> details) {
        return new ComponentHealth(component, Status.UP, details);
    }

    public static ComponentHealth down(String component, String reason) {
        return new ComponentHealth(component, Status.DOWN, Map.of("error", reason == null ? "unknown" : reason));
    }

    public boolean isUp() {
        return status == Status.UP;
    }
}
