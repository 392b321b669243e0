package io.orrery.api.engine;

/** A rule's action: makes calls (or nothing) when the rule fires. */
@FunctionalInterface
public interface RuleAction {
    void run(RuleScope scope) throws Exception;
}
