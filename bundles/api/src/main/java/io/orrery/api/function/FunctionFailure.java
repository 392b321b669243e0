package io.orrery.api.function;

import java.util.Objects;

/**
 * Thrown by a function for a failure that retrying cannot fix (bad arguments, a missing source): the call fails
 * at once instead of spending its remaining attempts. It carries its {@link ErrorClass}, {@link ErrorClass#USER}
 * unless the thrower says otherwise.
 */
public class FunctionFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorClass errorClass;

    public FunctionFailure(String message) {
        this(ErrorClass.USER, message, null);
    }

    public FunctionFailure(String message, Throwable cause) {
        this(ErrorClass.USER, message, cause);
    }

    public FunctionFailure(ErrorClass errorClass, String message, Throwable cause) {
        super(message, cause);
        this.errorClass = Objects.requireNonNull(errorClass, "errorClass");
    }

    public ErrorClass errorClass() {
        return errorClass;
    }
}
