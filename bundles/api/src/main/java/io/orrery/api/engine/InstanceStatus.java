package io.orrery.api.engine;

/** Where an always-on instance is. A completed instance is IDLE (or ACTIVE again) with an output. */
public enum InstanceStatus {
    /** Calls are pending: work is under way. */
    ACTIVE,
    /** Nothing matches and nothing is pending; new facts or a new workflow version wake it up. */
    IDLE,
    /** Stopped with a reason until retried. */
    FAILED
}
