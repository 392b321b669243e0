package io.orrery.api.engine;

/**
 * A rule's error handler: runs when one of its calls failed for good ({@link CallFailedException}) or its action
 * threw; {@code call} is null in the latter case.
 */
@FunctionalInterface
public interface RuleErrorHandler {
    void handle(RuleScope scope, Throwable error, CallRequest call) throws Exception;
}
