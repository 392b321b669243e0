package io.orrery.emirax.internal.sandbox;

import io.orrery.emirax.sandbox.SandboxException;

/** What a checkpoint does when the engine has stopped the rule: an {@link InterruptedException}, thrown unchecked. */
public final class Stops {

    private Stops() {
    }

    static RuntimeException stopped() {
        return sneaky(new InterruptedException("Execution interrupted. The current thread has been interrupted."));
    }

    /**
     * Rethrows what rule code must not swallow in a catch block: a stop, or a refusal; and throws a stop once the
     * rule is stopped, whatever it caught in its place.
     */
    public static void rethrowIfStopped(Throwable t) {
        if (t instanceof InterruptedException || t instanceof SandboxException) {
            throw sneaky(t);
        }
        if (Thread.currentThread().isInterrupted()) {
            throw stopped();
        }
        String stopped = RuleBudget.stopped();
        if (stopped != null) {
            throw new SandboxException(stopped);
        }
    }

    @SuppressWarnings("unchecked")
    static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
