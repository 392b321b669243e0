package io.orrery.api.health;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The health of every registered component at one moment. UP only when every component is UP; an expected
 * component that has no indicator registered at all counts as DOWN, so a bundle that failed to start, or one still
 * starting, is not mistaken for a healthy system.
 */
public record HealthReport(List<ComponentHealth> components) {

    /**
     * The components a complete Orrery node reports on. The queues and the engine are among them: a node whose
     * connections are up but whose queues are not read back yet, or whose engine has not restored its instances,
     * cannot take work, and its health must not say it can.
     */
    public static final List<String> EXPECTED = List.of("engine", "hazelcast", "kafka", "queue", "store");

    public HealthReport {
        components = components.stream().sorted(Comparator.comparing(ComponentHealth::component)).toList();
    }

    /** Checks every indicator, adding a DOWN entry for each expected component that has none. */
    public static HealthReport of(Collection<? extends HealthIndicator> indicators) {
        List<ComponentHealth> checked = indicators.stream().map(HealthReport::safeCheck).toList();
        List<ComponentHealth> missing = EXPECTED.stream()
                .filter(name -> checked.stream().noneMatch(c -> c.component().equals(name)))
                .map(name -> ComponentHealth.down(name, "not started"))
                .toList();
        return new HealthReport(java.util.stream.Stream.concat(checked.stream(), missing.stream()).toList());
    }

    private static ComponentHealth safeCheck(HealthIndicator indicator) {
        try {
            return indicator.check();
        } catch (RuntimeException e) {
            return ComponentHealth.down(indicator.component(), e.toString());
        }
    }

    public boolean isUp() {
        return components.stream().allMatch(ComponentHealth::isUp);
    }

    public List<String> failing() {
        return components.stream().filter(c -> !c.isUp()).map(ComponentHealth::component).toList();
    }
}
