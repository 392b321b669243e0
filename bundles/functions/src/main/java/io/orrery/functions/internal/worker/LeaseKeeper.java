package io.orrery.functions.internal.worker;

import io.orrery.api.function.CallInbox;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the claims of calls alive from their claim to their settlement, while they wait for a slot and while they
 * run: every third of a lease, each held call gets its claim extended by a lease. Without it a call waiting behind
 * others, or one long call, outlives its lease and runs a second time on another worker.
 */
final class LeaseKeeper {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

    private final CallInbox inbox;
    private final ScheduledExecutorService scheduler;

    LeaseKeeper(CallInbox inbox, ScheduledExecutorService scheduler) {
        this.inbox = inbox;
        this.scheduler = scheduler;
    }

    /** Starts extending this call's claim until it is {@link Held#release released}. */
    Held hold(CallInbox.ClaimedCall call) {
        return new Held(call);
    }

    /** One claimed call whose claim is being kept. */
    final class Held {

        private final Duration lease;
        private final ScheduledFuture<?> ticks;
        /** The current claim; null once lost to another worker. */
        private CallInbox.ClaimedCall current;
        private boolean released;

        private Held(CallInbox.ClaimedCall call) {
            this.current = call;
            this.lease = inbox.lease(call);
            long every = lease == null ? 0 : Math.max(10, lease.toMillis() / 3);
            this.ticks = every == 0 || scheduler.isShutdown() ? null
                    : scheduler.scheduleWithFixedDelay(this::extend, every, every, TimeUnit.MILLISECONDS);
        }

        synchronized CallInbox.ClaimedCall current() {
            return current;
        }

        /** Stops extending; the claim still held (to complete or hand back), or null when it was lost. */
        synchronized CallInbox.ClaimedCall release() {
            released = true;
            if (ticks != null) {
                ticks.cancel(false);
            }
            return current;
        }

        private synchronized void extend() {
            if (released || current == null) {
                return;
            }
            try {
                CallInbox.ClaimedCall renewed = inbox.extend(current, lease);
                if (renewed == null) {
                    LOG.warn("{}: claim of call {} lost while it waited or ran", current.call().instance(),
                            current.call().callId());
                    ticks.cancel(false);
                }
                current = renewed;
            } catch (RuntimeException e) {
                LOG.warn("{}: claim of call {} not extended (tried again): {}", current.call().instance(),
                        current.call().callId(), e.toString());
            }
        }
    }
}
