package io.orrery.api.engine;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One call made by an action or reaction. In a two-argument reaction or error closure, {@code call.key} is the key
 * the call was made with.
 *
 * @param kind      function, child workflow, or timer
 * @param target    the function's or workflow's name; null for a timer
 * @param args      JSON data passed to the function, or the child workflow's input
 * @param key       the call's key: free for functions (e.g. the chunk's uri), the business key of a child
 *                  workflow (default: the parent's key); may be null
 * @param priority  0 (lowest) … 9 (highest); {@link #INHERIT} takes the instance's priority
 * @param timeout   per attempt; null for the engine's default
 * @param retries   further attempts after the first fails; -1 for the engine's default
 * @param exclusive an exclusivity key: at most one call with this value runs at a time; may be null
 * @param delay     for timers, how long to wait; null otherwise
 */
public record CallRequest(CallKind kind, String target, Map<String, Object> args, String key, int priority,
                          Duration timeout, int retries, String exclusive, Duration delay) {

    public static final int INHERIT = -1;

    public CallRequest {
        Objects.requireNonNull(kind, "kind");
        args = args == null ? Map.of() : args;
        if (kind != CallKind.TIMER && (target == null || target.isBlank())) {
            throw new IllegalArgumentException("call: the " + kind.name().toLowerCase() + " name must not be empty");
        }
        if (priority != INHERIT && (priority < 0 || priority > 9)) {
            throw new IllegalArgumentException("priority: must be 0..9, got " + priority);
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout: must be positive");
        }
        if (retries < -1) {
            throw new IllegalArgumentException("retries: must not be negative");
        }
        if (kind == CallKind.TIMER && (delay == null || delay.isNegative())) {
            throw new IllegalArgumentException("after: needs a duration that is not negative");
        }
    }

    public static CallRequest function(String name, Map<String, Object> args) {
        return new CallRequest(CallKind.FUNCTION, name, args, null, INHERIT, null, -1, null, null);
    }

    public static CallRequest workflow(String name, Map<String, Object> input) {
        return new CallRequest(CallKind.WORKFLOW, name, input, null, INHERIT, null, -1, null, null);
    }

    public static CallRequest timer(Duration delay) {
        return new CallRequest(CallKind.TIMER, null, Map.of(), null, INHERIT, null, -1, null, delay);
    }

    public CallRequest withKey(String k) {
        return new CallRequest(kind, target, args, k, priority, timeout, retries, exclusive, delay);
    }

    public CallRequest withPriority(int p) {
        return new CallRequest(kind, target, args, key, p, timeout, retries, exclusive, delay);
    }

    public CallRequest withTimeout(Duration t) {
        return new CallRequest(kind, target, args, key, priority, t, retries, exclusive, delay);
    }

    public CallRequest withRetries(int r) {
        return new CallRequest(kind, target, args, key, priority, timeout, r, exclusive, delay);
    }

    public CallRequest withExclusive(String e) {
        return new CallRequest(kind, target, args, key, priority, timeout, retries, e, delay);
    }

    // Bean-style getters so Groovy's property syntax (call.key, call.args) reads the components.
    public String getKey() { return key; }
    public String getTarget() { return target; }
    public Map<String, Object> getArgs() { return args; }
    public CallKind getKind() { return kind; }
}
