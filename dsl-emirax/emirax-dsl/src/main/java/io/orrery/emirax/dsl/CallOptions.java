package io.orrery.emirax.dsl;

import io.orrery.api.engine.CallRequest;
import java.util.Map;
import java.util.Set;

/** Applies a call's named options ({@code key:}, {@code priority:}, {@code timeout:}, {@code retries:}, {@code exclusive:}). */
final class CallOptions {

    private static final Set<String> KNOWN = Set.of("key", "priority", "timeout", "retries", "exclusive");

    private CallOptions() {
    }

    static CallRequest apply(Map<String, Object> options, CallRequest call) {
        CallRequest c = call;
        for (var e : options.entrySet()) {
            String name = e.getKey();
            Object v = e.getValue();
            if (!KNOWN.contains(name)) {
                throw new IllegalArgumentException("call: unknown option '" + name + "'; use one of " + KNOWN);
            }
            if (v == null) {
                continue;
            }
            c = switch (name) {
                case "key" -> c.withKey(v.toString());
                case "priority" -> c.withPriority(number(v, name));
                case "timeout" -> c.withTimeout(Durations.parse(v, "timeout"));
                case "retries" -> c.withRetries(number(v, name));
                default -> c.withExclusive(v.toString());
            };
        }
        return c;
    }

    private static int number(Object v, String name) {
        if (v instanceof Number n) {
            return n.intValue();
        }
        throw new IllegalArgumentException("call: " + name + " must be a number, got " + v);
    }
}
