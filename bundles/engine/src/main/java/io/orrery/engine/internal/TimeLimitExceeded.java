package io.orrery.engine.internal;

import java.time.Duration;

/** Tenant code ran over its time limit and was interrupted. */
final class TimeLimitExceeded extends RuntimeException {

    private static final long serialVersionUID = 1L;

    TimeLimitExceeded(String what, Duration limit) {
        super(what + " ran over its time limit of " + limit.toMillis() + " ms and was stopped");
    }
}
