package io.orrery.functions.internal.worker;

import io.orrery.api.engine.CallResult;
import io.orrery.api.engine.OutboundCall;
import io.orrery.api.function.BatchOutcome;
import io.orrery.api.function.CallInbox;
import io.orrery.api.function.ErrorClass;
import io.orrery.api.function.FunctionFailure;
import io.orrery.api.queue.Backoff;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What becomes of a call after one attempt: its result delivered; or, for a failure, the call handed back to its
 * queue for a later attempt after a backoff while it has attempts left and the failure is not final (a
 * {@link FunctionFailure}), else the failure delivered.
 */
final class AttemptOutcomes {

    private static final Logger LOG = LoggerFactory.getLogger(AttemptOutcomes.class);

    private final CallInbox inbox;
    private final SettledCalls settled;
    private final Backoff backoff;

    AttemptOutcomes(CallInbox inbox, SettledCalls settled, Backoff backoff) {
        this.inbox = inbox;
        this.settled = settled;
        this.backoff = backoff;
    }

    void settle(LeaseKeeper.Held held, CallInbox.ClaimedCall claimed, BatchOutcome outcome) {
        OutboundCall call = claimed.call();
        if (outcome.failed()) {
            settleFailure(held, claimed, outcome.error(), ErrorClass.of(outcome.error()));
        } else {
            settled.add(held, CallResult.success(call.instance(), call.callId(), outcome.value(), claimed.attempt()));
        }
    }

    private void settleFailure(LeaseKeeper.Held held, CallInbox.ClaimedCall claimed, Exception e, ErrorClass failure) {
        OutboundCall call = claimed.call();
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof FunctionFailure) {
            settled.add(held, CallResult.failure(call.instance(), call.callId(), reason, claimed.attempt()));
        } else if (claimed.attempt() < call.maxAttempts()) {
            Duration delay = backoff.delayAfter(claimed.attempt());
            LOG.debug("{} attempt {} failed ({}: {}); retrying in {} ms", call.function(), claimed.attempt(),
                    failure.tag(), reason, delay.toMillis());
            CallInbox.ClaimedCall current = held.release();
            if (current != null) {
                inbox.retryLater(current, delay, reason);
            }
        } else {
            settled.add(held, CallResult.failure(call.instance(), call.callId(),
                    reason + " (after " + claimed.attempt() + " attempts)", claimed.attempt()));
        }
    }
}
