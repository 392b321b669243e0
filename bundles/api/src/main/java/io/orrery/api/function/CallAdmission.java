package io.orrery.api.function;

import java.util.Set;
import java.util.function.Consumer;

/**
 * Admits claimed calls to run, one slot each, by the node's resource pools. A worker claims calls from the
 * function queues while there is {@link #room()}, asks for a slot per call, runs the call when its slot comes and
 * releases it with the outcome. Implementations decide the order (reservations, priority, opportunistic calls).
 */
public interface CallAdmission {

    /** How many more claimed calls may wait for a slot: the worker claims no more than that. */
    int room();

    /**
     * Tenants whose pools are owed capacity (below their reservation, counting waiting calls): their queues are
     * claimed from even when {@link #room()} is 0, so a flood of other tenants' calls cannot keep them out.
     */
    Set<String> owedTenants();

    /**
     * The batch size configured for a function's calls ({@code batch.<function>} in the pools' configuration), or 0
     * when none is: then the function's own {@link OrreryFunction#batchSize()} applies.
     */
    default int batchSize(String tenant, String function) {
        return 0;
    }

    /**
     * Queues the call for a slot. {@code start} runs exactly once, when the call holds its slot, on the thread that
     * made the slot free (this one, or the one releasing another call): it should only hand the call to a runner.
     */
    Waiting request(CallTicket ticket, Consumer<Slot> start);

    /** A call waiting for its slot. */
    interface Waiting {

        /** Gives up waiting; false when the slot was already given (then the slot must be released). */
        boolean withdraw();
    }

    /** A slot held by one running call. */
    interface Slot {

        /** The pool the call runs in. */
        String pool();

        /**
         * Frees the slot after the call: {@code failure} is null when the attempt succeeded, else its class.
         * Releasing twice is harmless.
         */
        void release(ErrorClass failure);
    }
}
