package io.orrery.engine.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the claims of a batch of calls alive while the batch runs: every third of a lease, each call not finished
 * yet gets its claim extended by a lease. Without it the calls at the end of a batch, or one long call, outlive
 * their lease and run a second time on another worker.
 */
final class LeaseKeeper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

    private final CallInbox inbox;
    private final CallInbox.ClaimedCall[] current;
    /** Calls finished or given back: their claims are no longer extended. Null: lost to another worker. */
    private final boolean[] released;
    private final Duration lease;
    private final ScheduledFuture<?> ticks;

    LeaseKeeper(CallInbox inbox, List<CallInbox.ClaimedCall> claimed, ScheduledExecutorService scheduler) {
        this.inbox = inbox;
        this.current = claimed.toArray(CallInbox.ClaimedCall[]::new);
        this.released = new boolean[current.length];
        this.lease = current.length == 0 ? null : inbox.lease(current[0]);
        long every = lease == null ? 0 : Math.max(10, lease.toMillis() / 3);
        this.ticks = every == 0 || scheduler.isShutdown() ? null
                : scheduler.scheduleWithFixedDelay(this::extendAll, every, every, TimeUnit.MILLISECONDS);
    }

    synchronized CallInbox.ClaimedCall current(int i) {
        return current[i];
    }

    synchronized void release(int i) {
        released[i] = true;
    }

    /** Stops extending; answers the claims of these calls still held (the ones to complete). */
    synchronized List<CallInbox.ClaimedCall> finish(List<Integer> done) {
        stop();
        List<CallInbox.ClaimedCall> held = new ArrayList<>(done.size());
        for (int i : done) {
            released[i] = true;
            if (current[i] != null) {
                held.add(current[i]);
            }
        }
        return held;
    }

    private synchronized void extendAll() {
        for (int i = 0; i < current.length; i++) {
            if (released[i] || current[i] == null) {
                continue;
            }
            try {
                CallInbox.ClaimedCall renewed = inbox.extend(current[i], lease);
                if (renewed == null) {
                    LOG.warn("{}: claim of call {} lost while it ran", current[i].call().instance(),
                            current[i].call().callId());
                }
                current[i] = renewed;
            } catch (RuntimeException e) {
                LOG.warn("{}: claim of call {} not extended (tried again): {}", current[i].call().instance(),
                        current[i].call().callId(), e.toString());
            }
        }
    }

    private void stop() {
        if (ticks != null) {
            ticks.cancel(false);
        }
    }

    @Override
    public synchronized void close() {
        stop();
    }
}
