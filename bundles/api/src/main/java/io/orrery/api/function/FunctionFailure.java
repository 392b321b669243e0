package io.orrery.api.function;

/**
 * Thrown by a function for a failure that retrying cannot fix (bad arguments, a missing source): the call fails
 * at once instead of spending its remaining attempts.
 */
public class FunctionFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public FunctionFailure(String message) {
        super(message);
    }

    public FunctionFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
