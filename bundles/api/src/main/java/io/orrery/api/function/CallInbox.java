package io.orrery.api.function;

import io.orrery.api.engine.OutboundCall;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Where a function worker takes calls from: the engine's in-memory port, or the tenants' function queues.
 * A claimed call must be completed or handed back for a later attempt.
 */
public interface CallInbox {

    /** Up to {@code max} calls, waiting up to {@code wait} for the first. */
    List<ClaimedCall> claim(int max, Duration wait) throws InterruptedException;

    /**
     * Up to {@code max} calls of these tenants only, waiting up to {@code wait} for the first: how a worker with no
     * room left still takes the calls of tenants its pools owe capacity. None by default (an inbox without tenants).
     */
    default List<ClaimedCall> claimFrom(Set<String> tenants, int max, Duration wait) throws InterruptedException {
        return List.of();
    }

    /** When the call entered the inbox, for the queue-wait figures; null when unknown. */
    default Instant enqueuedAt(ClaimedCall call) {
        return null;
    }

    /** The call is done (its result or final failure was delivered). */
    void complete(ClaimedCall call);

    /** Several calls done at once (a queue acknowledges them in one go). */
    default void completeAll(List<ClaimedCall> calls) {
        calls.forEach(this::complete);
    }

    /** Try again after {@code delay}; {@link ClaimedCall#attempt()} grows by one. */
    void retryLater(ClaimedCall call, Duration delay, String reason);

    /** How long a claim of this call lasts unless extended; null when claims never expire (in memory). */
    default Duration lease(ClaimedCall call) {
        return null;
    }

    /**
     * Extends the claim by {@code lease} from now, while the call still runs: the renewed claim, or null when it was
     * lost (expired and handed to another worker, or cancelled).
     */
    default ClaimedCall extend(ClaimedCall call, Duration lease) {
        return call;
    }

    /** The span of a claimed call's wait in the queue, the parent of its function call's span; null if none. */
    default io.orrery.api.trace.TraceContext waitOf(ClaimedCall call) {
        return null;
    }

    /** One delivery of a call: which attempt this is, and the inbox's own handle. */
    record ClaimedCall(OutboundCall call, int attempt, Object handle) {
    }
}
