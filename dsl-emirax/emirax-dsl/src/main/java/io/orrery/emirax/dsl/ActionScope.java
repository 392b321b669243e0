package io.orrery.emirax.dsl;

import io.orrery.api.engine.CallRequest;
import io.orrery.api.engine.RuleScope;
import java.util.Map;

/**
 * The delegate of {@code action}, {@code reaction} and {@code error} blocks: the facts plus what a rule may do.
 * Calls go out when the block finishes; a block may make many (fan-out), one per element of a list.
 */
public class ActionScope extends MatchScope {

    private final RuleScope scope;

    public ActionScope(RuleScope scope) {
        super(scope);
        this.scope = scope;
    }

    /** Calls a function without arguments: {@code call 'media.probe'}. */
    public CallRequest call(String function) {
        return call(Map.of(), function, Map.of());
    }

    /** Calls a function: {@code call 'media.split', [uri: input.source]}. */
    public CallRequest call(String function, Map<String, Object> args) {
        return call(Map.of(), function, args);
    }

    /**
     * Calls a function with options, given as named arguments:
     * {@code call 'media.encode', [uri: c.uri], key: c.uri, priority: 7, timeout: '2m', retries: 3, exclusive: id}.
     */
    public CallRequest call(Map<String, Object> options, String function, Map<String, Object> args) {
        return scope.call(CallOptions.apply(options, CallRequest.function(function, args)));
    }

    /** Calls a function with options and no arguments: {@code call 'media.probe', key: id}. */
    public CallRequest call(Map<String, Object> options, String function) {
        return call(options, function, Map.of());
    }

    // The compiler renames `call` inside closures to `emiraxCall`, because inside a closure Groovy takes `call(...)`
    // to mean the closure itself. These mirror the four forms of call above.

    public CallRequest emiraxCall(String function) {
        return call(function);
    }

    public CallRequest emiraxCall(String function, Map<String, Object> args) {
        return call(function, args);
    }

    public CallRequest emiraxCall(Map<String, Object> options, String function, Map<String, Object> args) {
        return call(options, function, args);
    }

    public CallRequest emiraxCall(Map<String, Object> options, String function) {
        return call(options, function);
    }

    /** Starts (or adds facts to) a child workflow; its {@code complete} output arrives as the reaction's result. */
    public CallRequest workflow(String name, Map<String, Object> input) {
        return workflow(Map.of(), name, input);
    }

    /** A child workflow with options: {@code workflow 'qc', [uri: u], key: id}; the key defaults to this one's. */
    public CallRequest workflow(Map<String, Object> options, String name, Map<String, Object> input) {
        return scope.call(CallOptions.apply(options, CallRequest.workflow(name, input)));
    }

    /** A timer: {@code after '10m'} ({@code ms}, {@code s}, {@code m}, {@code h}, {@code d}, or ISO-8601). */
    public CallRequest after(Object delay) {
        return after(Map.of(), delay);
    }

    /** A timer with options, e.g. {@code after '1h', key: 'reminder'}. */
    public CallRequest after(Map<String, Object> options, Object delay) {
        return scope.call(CallOptions.apply(options, CallRequest.timer(Durations.parse(delay, "after"))));
    }

    /** Publishes the output: {@code complete(output: [uri: r.uri])}; the instance stays always-on. */
    public void complete(Map<String, Object> named) {
        Object output = named.size() == 1 && named.containsKey("output") ? named.get("output") : named;
        if (!(output instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("complete: output must be a map, got " + output);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> out = (Map<String, Object>) map;
        scope.complete(out);
    }

    /** Completes without an output. */
    public void complete() {
        scope.complete(Map.of());
    }

    /** Fails the instance with this message once the block finishes. */
    public void fail(Object message) {
        scope.fail(String.valueOf(message));
    }
}
