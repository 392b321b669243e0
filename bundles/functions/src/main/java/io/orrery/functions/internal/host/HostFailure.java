package io.orrery.functions.internal.host;

import io.orrery.api.function.ErrorClass;
import io.orrery.api.function.TransientFailure;

/**
 * A call that the function host could not answer: the host died, was killed, could not start, or did not know the
 * function. Not the function's own error, so the call's retry policy runs it again on a new host.
 * Counted as a {@link ErrorClass#PLATFORM} failure.
 */
public class HostFailure extends TransientFailure {

    private static final long serialVersionUID = 1L;

    public HostFailure(String message) {
        super(ErrorClass.PLATFORM, message, null);
    }

    public HostFailure(String message, Throwable cause) {
        super(ErrorClass.PLATFORM, message, cause);
    }
}
