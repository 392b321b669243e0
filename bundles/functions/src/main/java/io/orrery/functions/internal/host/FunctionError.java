package io.orrery.functions.internal.host;

/** The function ran in its host and threw: its own error, retried as the call's policy says. */
public class FunctionError extends Exception {

    private static final long serialVersionUID = 1L;

    public FunctionError(String message) {
        super(message);
    }
}
