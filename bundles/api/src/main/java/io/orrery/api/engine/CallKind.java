package io.orrery.api.engine;

/** What an action asked for. */
public enum CallKind {
    /** A compute function, run by a worker: {@code call 'media.encode', [...]}. */
    FUNCTION,
    /** A child workflow instance whose {@code complete} output is the result: {@code workflow 'qc', [...]}. */
    WORKFLOW,
    /** A timer: {@code after '10m'}; its result is {@code [firedAt: <epoch ms>]}. */
    TIMER
}
