package io.orrery.functions.internal.host;

import java.time.Duration;
import java.util.Map;

/**
 * How a tenant's hosts follow load ({@code etc/io.orrery.functions.cfg}).
 *
 * @param targetWait the queue wait calls should not exceed ({@code demand.targetWaitMillis}); a call of a hosted
 *                   function that waited longer raises its tenant's host target at once
 * @param ceiling    the most hosts load gives a tenant ({@code demand.maxHosts}); its warm count may be more
 * @param coolDown   how long waits stay under the target before the host target goes down one step
 *                   ({@code demand.coolDownSeconds}), and the least time between two such steps
 */
public record DemandSettings(Duration targetWait, int ceiling, Duration coolDown) {

    /** A second's wait, four hosts at most, a minute per step down. */
    public static final DemandSettings DEFAULTS = new DemandSettings(Duration.ofSeconds(1), 4, Duration.ofMinutes(1));

    public DemandSettings {
        if (targetWait.isNegative() || targetWait.isZero()) {
            throw new IllegalArgumentException("demand.targetWaitMillis must be positive, got "
                    + targetWait.toMillis());
        }
        if (ceiling < 1 || ceiling > 64) {
            throw new IllegalArgumentException("demand.maxHosts must be 1 to 64 hosts, got " + ceiling);
        }
        if (coolDown.isNegative()) {
            throw new IllegalArgumentException("demand.coolDownSeconds must not be negative, got "
                    + coolDown.toSeconds());
        }
    }

    /** Reads the {@code demand.*} keys, each defaulting to {@link #DEFAULTS}; other keys are not its concern. */
    public static DemandSettings parse(Map<String, ?> properties) {
        return new DemandSettings(
                Duration.ofMillis(number(properties, "demand.targetWaitMillis", DEFAULTS.targetWait.toMillis())),
                (int) number(properties, "demand.maxHosts", DEFAULTS.ceiling),
                Duration.ofSeconds(number(properties, "demand.coolDownSeconds", DEFAULTS.coolDown.toSeconds())));
    }

    private static long number(Map<String, ?> properties, String key, long otherwise) {
        Object value = properties.get(key);
        if (value == null || String.valueOf(value).isBlank()) {
            return otherwise;
        }
        try {
            return Long.parseLong(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": expected a whole number, got '" + value + "'");
        }
    }
}
