package io.orrery.emirax;

import io.orrery.api.engine.CallRequest;
import io.orrery.api.engine.RuleScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A rule scope that records what tenant code did, for DSL tests without the engine. */
final class RecordingScope implements RuleScope {
    final Map<String, Object> input = new LinkedHashMap<>();
    final Map<String, Object> state = new LinkedHashMap<>();
    Map<String, Object> output = Map.of();
    final List<CallRequest> calls = new ArrayList<>();
    String failure;

    @Override public String workflow() { return "w"; }
    @Override public String key() { return "k"; }
    @Override public Map<String, Object> input() { return input; }
    @Override public Map<String, Object> state() { return state; }
    @Override public Map<String, Object> output() { return output; }
    @Override public CallRequest call(CallRequest request) { calls.add(request); return request; }
    @Override public void complete(Map<String, Object> o) { output = o; }
    @Override public void fail(String message) { failure = message; }
}
