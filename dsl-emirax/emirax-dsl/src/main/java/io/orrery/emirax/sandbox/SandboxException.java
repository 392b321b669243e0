package io.orrery.emirax.sandbox;

/**
 * Rule code tried something the Emirax sandbox does not allow (a member off the allow-list, a value past a size or
 * allocation limit). Thrown at run time by {@link Checked}; the engine fails the instance with its message.
 */
public final class SandboxException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SandboxException(String message) {
        super(message);
    }
}
