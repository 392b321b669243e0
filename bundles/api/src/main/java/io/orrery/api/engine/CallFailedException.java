package io.orrery.api.engine;

/**
 * What an error closure receives when a call failed for good (attempts spent, a child workflow failed, or the
 * function refused): {@code error { e -> fail "split failed: ${e.message}" }}. When the action itself threw, the
 * error closure receives that exception instead.
 */
public class CallFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final String target;
    private final int attempts;

    public CallFailedException(String target, String message, int attempts) {
        super(message);
        this.target = target;
        this.attempts = attempts;
    }

    /** The function or workflow that failed; null for a timer. */
    public String getTarget() {
        return target;
    }

    public int getAttempts() {
        return attempts;
    }
}
