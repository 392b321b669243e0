package io.orrery.api.function;

import java.util.Objects;

/**
 * A failure worth another attempt that is not the function's own error: a dependency that was busy or away
 * ({@link ErrorClass#TRANSIENT}, the default), or the platform failing to run the function
 * ({@link ErrorClass#PLATFORM}). The call's retry policy runs it again after a backoff.
 */
public class TransientFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorClass errorClass;

    public TransientFailure(String message) {
        this(ErrorClass.TRANSIENT, message, null);
    }

    public TransientFailure(ErrorClass errorClass, String message, Throwable cause) {
        super(message, cause);
        this.errorClass = Objects.requireNonNull(errorClass, "errorClass");
    }

    public ErrorClass errorClass() {
        return errorClass;
    }
}
