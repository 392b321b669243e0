package io.orrery.api.function;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A compute function a workflow calls by name ({@code call 'media.encode', [...]}). Arguments and result are JSON
 * data: maps with string keys, lists, strings, numbers, booleans and nulls (what Jackson reads and writes as a JSON
 * object). Published as an OSGi service by tenant bundles (with the service property {@code orrery.tenant}), or
 * built from an Emirax {@code function} block. A tenant's function is visible to its tenant only; a platform
 * bundle's function without {@code orrery.tenant} to every tenant.
 *
 * <p>A function may be called more than once for one call (retries after a timeout or a lost worker), so it
 * should be idempotent. Failures are classified by {@link ErrorClass#of}: throw {@link FunctionFailure} for what
 * retrying cannot fix, {@link TransientFailure} for what it may.
 */
public interface OrreryFunction {

    /** The name workflows call it by, e.g. {@code media.encode}. */
    String name();

    /** Runs the function. Throwing fails this attempt; the call's retry policy decides what happens next. */
    Map<String, Object> apply(Map<String, Object> args) throws Exception;

    /**
     * Prepares the function before its first call (loads a model, opens a pool, starts a binary once), so that the
     * first call is as fast as the later ones. Runs once per instance of the function; the default does nothing.
     */
    default void warmUp() throws Exception {
    }

    /**
     * The most calls a worker hands to {@link #applyBatch} at once (micro-batching): calls of this function waiting
     * together are run as one batch of up to this many. {@code batch.<name>} in {@code etc/io.orrery.pools.cfg}
     * overrides it. The default, 1, runs each call on its own through {@link #apply}.
     */
    default int batchSize() {
        return 1;
    }

    /**
     * How many instances of the function the node keeps warm (its host started, its bundle resolved, {@link #warmUp}
     * run) before work arrives; {@code warm.<name>} in {@code etc/io.orrery.functions.cfg} overrides it. The
     * default, 0, keeps none ready beyond what calls leave behind.
     */
    default int warmInstances() {
        return 0;
    }

    /**
     * Whether a call returns at once when its thread is interrupted, whatever the function's own code does: true for
     * a function that waits on another process (a tenant's function host, which is killed then). The worker then
     * runs the call on the slot's own thread and interrupts it at the timeout, sparing a hand-off between threads
     * per call. The default, false, runs each call on a thread of its own, so code that ignores interrupts cannot
     * hold the slot past its timeout.
     */
    default boolean endsOnInterrupt() {
        return false;
    }

    /**
     * Runs several calls at once, for functions with a fixed cost per invocation worth sharing. Answers one
     * outcome per argument map, in order. The default runs {@link #apply} for each, one after another.
     */
    default List<BatchOutcome> applyBatch(List<Map<String, Object>> calls) {
        List<BatchOutcome> out = new ArrayList<>(calls.size());
        for (Map<String, Object> args : calls) {
            try {
                out.add(BatchOutcome.success(apply(args)));
            } catch (Exception e) {
                out.add(BatchOutcome.failure(e));
            }
        }
        return out;
    }
}
