package io.orrery.api.engine;

/** A rule's match: a pure predicate over the facts. */
@FunctionalInterface
public interface RuleMatch {
    boolean test(FactView facts) throws Exception;
}
