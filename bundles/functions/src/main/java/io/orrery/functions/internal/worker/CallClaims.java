package io.orrery.functions.internal.worker;

import io.orrery.api.function.CallAdmission;
import io.orrery.api.function.CallInbox;
import io.orrery.api.function.OrreryFunction;
import io.orrery.api.queue.ClaimPacing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a function worker's claiming threads take calls: from tenants the pools owe capacity first, then from any
 * tenant while the pools have room for more calls to wait; with no room, a claiming thread waits for a slot to free
 * (or polls for owed tenants). A claim takes as many calls as a batch of the widest batch size met so far may need.
 */
final class CallClaims {

    private static final Logger LOG = LoggerFactory.getLogger(CallClaims.class);
    private static final Duration CLAIM_WAIT = Duration.ofMillis(200);
    /** How often a worker with no room looks for calls of tenants owed capacity. */
    private static final long OWED_POLL_MILLIS = 50;
    /** Further claims at once after a partial one, to gather the calls waiting in other shards. */
    private static final int TOP_UPS = 4;

    private final CallInbox inbox;
    private final BiFunction<String, String, Optional<OrreryFunction>> functions;
    private final int batch;
    private final Object roomSignal = new Object();
    /** The largest batch size met so far: the pools' room counts waiting batches, so a claim may take that many. */
    private volatile int widestBatch = 1;
    private volatile ClaimPacing pacing = ClaimPacing.NONE;

    /** @param batch the most calls one claim takes */
    CallClaims(CallInbox inbox, BiFunction<String, String, Optional<OrreryFunction>> functions, int batch) {
        this.inbox = inbox;
        this.functions = functions;
        this.batch = Math.max(1, batch);
    }

    /** The pause after a claim that found less than it asked for (see {@link ClaimPacing}). */
    void pacing(ClaimPacing pacing) {
        this.pacing = pacing;
    }

    /** A slot was given: claiming threads waiting for room look again. */
    void roomFreed() {
        synchronized (roomSignal) {
            roomSignal.notifyAll();
        }
    }

    /** Calls of tenants owed capacity first, then any tenant's while the pools have room for them to wait. */
    List<CallInbox.ClaimedCall> claim(CallAdmission pools) throws InterruptedException {
        List<CallInbox.ClaimedCall> claimed = new ArrayList<>();
        Set<String> owed = pools.owedTenants();
        if (!owed.isEmpty()) {
            claimed.addAll(inbox.claimFrom(owed, batch, Duration.ZERO));
        }
        long room = (long) pools.room() * widestBatch - claimed.size();
        if (room > 0) {
            claimed.addAll(claimUpTo((int) Math.min(batch, room), claimed.isEmpty() ? CLAIM_WAIT : Duration.ZERO));
        } else if (claimed.isEmpty()) {
            synchronized (roomSignal) {
                roomSignal.wait(OWED_POLL_MILLIS);
            }
        }
        return claimed;
    }

    /**
     * Up to {@code max} calls, waiting up to {@code wait} for the first, then taking what else is there at once: a
     * queue spread over shards answers one claim from some of them, and a micro-batch wants every call waiting.
     */
    private List<CallInbox.ClaimedCall> claimUpTo(int max, Duration wait) throws InterruptedException {
        ClaimPacing paced = pacing;
        paced.beforeClaim();
        List<CallInbox.ClaimedCall> claimed = new ArrayList<>(inbox.claim(max, wait));
        // Top-ups only while some function takes batches: for single calls they are claim operations for nothing.
        int topUps = widestBatch > 1 ? TOP_UPS : 0;
        for (int round = 0; round < topUps && !claimed.isEmpty() && claimed.size() < max; round++) {
            List<CallInbox.ClaimedCall> more = inbox.claim(max - claimed.size(), Duration.ZERO);
            if (more.isEmpty()) {
                break;
            }
            claimed.addAll(more);
        }
        paced.claimed(claimed.size(), max);
        return claimed;
    }

    /** The most calls of one batch: configured in the pools, else the function's own; 1 when neither says. */
    int batchSize(CallAdmission pools, String tenant, String function) {
        int size;
        try {
            int configured = pools.batchSize(tenant, function);
            size = configured > 0 ? configured
                    : functions.apply(tenant, function).map(OrreryFunction::batchSize).orElse(1);
        } catch (RuntimeException e) {
            LOG.warn("batch size of {} for tenant {} unknown, taken as 1: {}", function, tenant, e.toString());
            size = 1;
        }
        size = Math.max(1, size);
        if (size > widestBatch) {
            widestBatch = size;
        }
        return size;
    }
}
