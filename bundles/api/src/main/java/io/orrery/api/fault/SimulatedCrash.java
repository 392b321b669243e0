package io.orrery.api.fault;

/**
 * Thrown by an armed crash point. An {@link Error}, so that {@code catch (Exception e)} blocks in the code under
 * test do not swallow it: a real crash runs no handler either.
 */
public final class SimulatedCrash extends Error {

    private static final long serialVersionUID = 1L;

    public SimulatedCrash(String point) {
        super("simulated crash at " + point, null, false, false);
    }
}
