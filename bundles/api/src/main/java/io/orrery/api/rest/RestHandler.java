package io.orrery.api.rest;

/**
 * Answers one call. Throw {@link RestProblem} for a 4xx or 503; an {@link IllegalArgumentException} whose message
 * starts with {@code field: } is a 400 naming that field. Anything else is the server's fault (500, logged).
 */
@FunctionalInterface
public interface RestHandler {

    RestAnswer handle(RestCall call) throws Exception;
}
