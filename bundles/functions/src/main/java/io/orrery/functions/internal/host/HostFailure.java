package io.orrery.functions.internal.host;

/**
 * A call that the function host could not answer: the host died, was killed, could not start, or did not know the
 * function. Not the function's own error, so the call's retry policy runs it again on a new host.
 */
public class HostFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public HostFailure(String message) {
        super(message);
    }

    public HostFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
