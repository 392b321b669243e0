package io.orrery.api.engine;

/** Which section of a rule ran. */
public enum FiringKind {
    /** The match held and the action ran. */
    ACTION,
    /** A call settled and the reaction applied its result. */
    REACTION,
    /** A call failed for good, or the action threw, and the error handler ran. */
    ERROR
}
