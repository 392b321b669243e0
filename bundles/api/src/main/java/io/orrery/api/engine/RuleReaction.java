package io.orrery.api.engine;

import java.util.Map;

/** A rule's reaction: applies one settled call's result to the state, once. */
@FunctionalInterface
public interface RuleReaction {
    void apply(RuleScope scope, Map<String, Object> result, CallRequest call) throws Exception;
}
