package io.orrery.engine.internal;

import io.orrery.api.trace.TraceContext;
import java.util.function.Supplier;

/**
 * The span that caused the evaluation running on this thread: the request span of a submit, the queue wait of a
 * result, the parent's firing of a child workflow. Rule firing spans nest under it. A thread-local because an
 * evaluation runs on one lane thread from start to save, and the cause is not part of the instance's state.
 */
final class EvaluationCause {

    private static final ThreadLocal<TraceContext> CURRENT = new ThreadLocal<>();

    private EvaluationCause() {
    }

    /** Runs {@code work} with {@code cause} (null for none) as the cause of what it evaluates. */
    static <T> T under(TraceContext cause, Supplier<T> work) {
        TraceContext outer = CURRENT.get();
        CURRENT.set(cause);
        try {
            return work.get();
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    /** The cause of the evaluation on this thread, or null. */
    static TraceContext current() {
        return CURRENT.get();
    }
}
