package io.orrery.api.trace;

/** Why something failed, as spans and metrics classify it. */
public enum FailureKind {
    /** The tenant's code or input was wrong. */
    USER,
    /** A deadline passed. */
    TIMEOUT,
    /** Orrery itself could not do the work. */
    PLATFORM,
    /** A passing condition; a retry may succeed. */
    TRANSIENT
}
