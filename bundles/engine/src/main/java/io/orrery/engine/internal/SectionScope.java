package io.orrery.engine.internal;

import io.orrery.api.engine.CallKind;
import io.orrery.api.engine.CallRequest;
import io.orrery.api.engine.JsonData;
import io.orrery.api.engine.RuleScope;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an action, reaction or error handler sees and does. Effects are collected and applied by {@link #finish}
 * once the section returns: calls become pending, {@code complete} publishes the output, {@code fail} fails.
 */
final class SectionScope implements RuleScope {

    private final InstanceRecord record;
    private final String workflow;
    private final TrackingMap input;
    private final TrackingMap state;
    private final TrackingMap output;
    private final List<CallRequest> calls = new ArrayList<>();
    private Map<String, Object> completed;
    private String failure;

    SectionScope(InstanceRecord record) {
        this.record = record;
        this.workflow = record.workflow;
        this.input = new TrackingMap("i", record.input, false);
        this.state = new TrackingMap("s", record.state, true);
        this.output = new TrackingMap("o", record.output == null ? Map.of() : record.output, false);
    }

    @Override public String workflow() { return workflow; }
    @Override public String key() { return record.key; }
    @Override public Map<String, Object> input() { return input; }
    @Override public Map<String, Object> state() { return state; }
    @Override public Map<String, Object> output() { return output; }

    /**
     * Takes a copy of the arguments as JSON data now, inside the section: converting them may run rule code (a lazy
     * GString's closure), which must run under the section's time limit and memory budget and fail as the rule's own
     * failure. The rule keeps its request; what it changes there afterwards is not the call's.
     */
    @Override
    public CallRequest call(CallRequest request) {
        if (request.kind() != CallKind.TIMER && request.target().isBlank()) {
            throw new IllegalArgumentException("call: needs a name");
        }
        calls.add(new CallRequest(request.kind(), request.target(),
                JsonData.copyMap(request.args(), "call " + request.target()), request.key(), request.priority(),
                request.timeout(), request.retries(), request.exclusive(), request.delay()));
        return request;
    }

    @Override
    public void complete(Map<String, Object> out) {
        completed = JsonData.copyMap(out, "output");
    }

    @Override
    public void fail(String message) {
        if (failure == null) {
            failure = message;
        }
    }

    List<CallRequest> calls() {
        return failure == null ? calls : List.of();
    }

    Map<String, Object> completedOutput() {
        return completed;
    }

    String failure() {
        return failure;
    }

    /**
     * Keeps the state JSON data and answers the facts that changed ({@code s:chunks}, {@code o:*}). Throws when
     * tenant code put something that is not JSON data into the state, naming it. The section has returned: what
     * would run rule code to be converted is refused ({@link InertValues}), never run.
     */
    Set<String> finishState() {
        Set<String> changed = new HashSet<>();
        IllegalArgumentException refused = null;
        for (String k : state.changedKeys()) {
            try {
                if (k.equals(TrackingMap.ALL)) {
                    record.state.forEach((key, value) -> InertValues.require(value, "state." + key));
                    Map<String, Object> copy = JsonData.copyMap(record.state, "state");
                    record.state.clear();
                    record.state.putAll(copy);
                    changed.add("s:*");
                } else {
                    Object v = record.state.get(k);
                    if (v != null) {
                        record.state.put(k, InertValues.copy(v, "state." + k));
                    }
                    changed.add("s:" + k);
                }
            } catch (IllegalArgumentException e) {
                // What cannot be stored is not kept: the instance fails naming it, and its record stays storable.
                if (k.equals(TrackingMap.ALL)) {
                    record.state.entrySet().removeIf(entry -> !storable(entry.getValue()));
                } else {
                    record.state.remove(k);
                }
                refused = refused == null ? e : refused;
            }
        }
        if (refused != null) {
            throw refused;
        }
        if (completed != null) {
            changed.add("o:*");
        }
        return changed;
    }

    /**
     * After a section that failed: what it left in the state is kept as JSON data, or dropped where it cannot be
     * (the instance reports the section's own failure), so that nothing saved or shown later runs rule code.
     */
    void keepStorableState() {
        try {
            finishState();
        } catch (IllegalArgumentException e) {
            // dropped; the section's failure is what the instance reports
        }
    }

    private static boolean storable(Object value) {
        try {
            InertValues.copy(value, "state");
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
