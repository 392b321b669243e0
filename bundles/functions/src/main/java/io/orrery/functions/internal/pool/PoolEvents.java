package io.orrery.functions.internal.pool;

import io.orrery.api.function.CallTicket;
import io.orrery.api.function.ErrorClass;

/** What the pools tell their observers (metrics, the function catalog's counts). Called outside the tree's lock. */
public interface PoolEvents {

    PoolEvents NONE = new PoolEvents() {
    };

    /** Tells each of these, in order. */
    static PoolEvents of(java.util.List<PoolEvents> all) {
        return new PoolEvents() {
            @Override
            public void admitted(CallTicket ticket, String pool, long waitedNanos) {
                all.forEach(e -> e.admitted(ticket, pool, waitedNanos));
            }

            @Override
            public void released(CallTicket ticket, String pool, ErrorClass failure, long ranNanos) {
                all.forEach(e -> e.released(ticket, pool, failure, ranNanos));
            }
        };
    }

    /** A call got its slot after waiting {@code waitedNanos} in its pool's queue. */
    default void admitted(CallTicket ticket, String pool, long waitedNanos) {
    }

    /** A call's attempt ended after {@code ranNanos}; {@code failure} null when it succeeded. */
    default void released(CallTicket ticket, String pool, ErrorClass failure, long ranNanos) {
    }
}
