package io.orrery.api.function;

import io.orrery.api.engine.CallResult;
import java.util.List;
import java.util.Optional;

/**
 * The engine's side of function calls, published by the engine as an OSGi service for the node's function worker
 * (in {@code orrery-functions}): calls are claimed from it ({@link CallInbox}), and settled calls go back through
 * {@link #deliver}. The engine never sees the worker, so the bundles depend on each other only through this.
 */
public interface CallPort extends CallInbox {

    /** A worker ran a call; its result has not been delivered. */
    String CALL_RAN_BEFORE_RESULT_SENT = "engine.call-ran-before-result-sent";
    /** A worker delivered a call's result; the call has not been completed (its message acknowledged). */
    String RESULT_SENT_BEFORE_CALL_ACK = "engine.result-sent-before-call-ack";

    /**
     * Settled calls, as many as settled together: delivered before their claims are completed, so a crash in
     * between delivers a result twice (the engine applies it once) rather than losing it.
     */
    void deliver(List<CallResult> results);

    /**
     * A function defined by a workflow module the engine has deployed for the tenant, which comes before any
     * function service of the same name; empty when there is none.
     */
    default Optional<OrreryFunction> moduleFunction(String tenant, String name) {
        return Optional.empty();
    }

    /** The node's name: the scope of the crash points a worker reaches ({@link io.orrery.api.fault.CrashPoints}). */
    String node();
}
