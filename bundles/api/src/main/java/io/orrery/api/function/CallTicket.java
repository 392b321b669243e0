package io.orrery.api.function;

import java.time.Instant;
import java.util.Objects;

/**
 * A claimed call asking for a slot to run in.
 *
 * @param tenant     whose call it is
 * @param function   the function's name
 * @param priority   0 (lowest) … 9 (highest): within a pool, higher first, then first come first served
 * @param enqueuedAt when the call entered the queue (for the queue-wait figures); null when unknown (the earliest
 *                   of a batch)
 * @param calls      how many calls run together in the slot (a micro-batch); 1 for a call on its own
 */
public record CallTicket(String tenant, String function, int priority, Instant enqueuedAt, int calls) {

    public CallTicket {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(function, "function");
        if (calls < 1) {
            throw new IllegalArgumentException("a ticket stands for at least one call, got " + calls);
        }
    }

    /** One call on its own. */
    public CallTicket(String tenant, String function, int priority, Instant enqueuedAt) {
        this(tenant, function, priority, enqueuedAt, 1);
    }
}
