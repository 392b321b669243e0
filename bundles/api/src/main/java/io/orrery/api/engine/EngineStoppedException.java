package io.orrery.api.engine;

/**
 * The engine of this node stopped (its component deactivated, the node shutting down) before the event was run or
 * saved: nothing of it was kept, and the same request sent again, here once the engine is back or to another node,
 * is run then. The server's state, not the caller's fault.
 */
public class EngineStoppedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public EngineStoppedException(String message) {
        super(message);
    }
}
