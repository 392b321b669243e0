package io.orrery.functions.internal.host;

/** What tenant hosts tell the node's metrics: whether each call found its function warm, and how many hosts run. */
public interface HostEvents {

    HostEvents NONE = new HostEvents() {
    };

    /** The call ran on a host whose instance of the function was started and warmed up before it came. */
    default void warmHit(String tenant, String function) {
    }

    /**
     * The call had to wait for its function to get ready: a host started for it, or the function's warm-up ran
     * first; {@code nanos} is how long that took.
     */
    default void coldStart(String tenant, String function, long nanos) {
    }

    /** The tenant's host target (what load and warm capacity ask for) and the hosts it runs, after an upkeep. */
    default void hosts(String tenant, int target, int running) {
    }

    /** The tenant's hosts stopped: it has no bundles left on this node (undeployed, or the tenant deleted). */
    default void ended(String tenant) {
    }
}
