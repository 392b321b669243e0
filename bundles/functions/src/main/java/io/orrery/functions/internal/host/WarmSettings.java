package io.orrery.functions.internal.host;

import java.time.Duration;
import java.util.Map;

/**
 * How many warm instances each function gets, and how long a host beyond them may stay idle.
 *
 * @param configured {@code warm.<function>} of {@code etc/io.orrery.functions.cfg}: instances kept warm, over what
 *                   the function declares
 * @param idle       how long a host no warm capacity asks for stays after its last call before it is stopped
 */
public record WarmSettings(Map<String, Integer> configured, Duration idle) {

    /** Functions' own declarations, and idle hosts kept five minutes. */
    public static final WarmSettings DEFAULTS = new WarmSettings(Map.of(), Duration.ofMinutes(5));

    public WarmSettings {
        configured = Map.copyOf(configured);
        configured.forEach((f, n) -> {
            if (n < 0 || n > 16) {
                throw new IllegalArgumentException("warm." + f + " must be 0 to 16 instances, got " + n);
            }
        });
    }

    /** The warm instances a function gets: configured, else declared (at most 16). */
    public int wanted(String function, int declared) {
        Integer n = configured.get(function);
        return n != null ? n : Math.max(0, Math.min(16, declared));
    }

    /** Reads {@code warm.<function> = N} keys; other keys are not its concern. */
    public static Map<String, Integer> parse(Map<String, ?> properties) {
        Map<String, Integer> out = new java.util.TreeMap<>();
        properties.forEach((key, value) -> {
            if (key.startsWith("warm.") && key.length() > 5) {
                try {
                    out.put(key.substring(5), Integer.parseInt(String.valueOf(value).trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(key + ": expected a whole number of instances, got '"
                            + value + "'");
                }
            }
        });
        return out;
    }
}
