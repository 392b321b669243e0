package io.orrery.functions.internal.worker;

import io.orrery.api.engine.OutboundCall;
import io.orrery.api.function.CallInbox;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A function queue in memory: calls with the time each became available, as the engine's queues keep them (unknown
 * for some). A call handed back for a later attempt is queued again at once.
 */
public final class QueuedInbox implements CallInbox {

    private final LinkedBlockingQueue<ClaimedCall> queue = new LinkedBlockingQueue<>();
    private final Map<Object, Instant> available = new ConcurrentHashMap<>();

    /** Queues a call that became available now. */
    public void add(OutboundCall call) {
        add(call, Instant.now());
    }

    /** Queues a call that became available at {@code availableAt}; null: a time the queue does not know. */
    public void add(OutboundCall call, Instant availableAt) {
        ClaimedCall c = new ClaimedCall(call, 1, new Object());
        if (availableAt != null) {
            available.put(c.handle(), availableAt);
        }
        queue.add(c);
    }

    @Override
    public List<ClaimedCall> claim(int max, Duration wait) throws InterruptedException {
        ClaimedCall first = queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (first == null) {
            return List.of();
        }
        List<ClaimedCall> out = new ArrayList<>(List.of(first));
        queue.drainTo(out, max - 1);
        return out;
    }

    @Override
    public Instant enqueuedAt(ClaimedCall call) {
        return available.get(call.handle());
    }

    @Override
    public void complete(ClaimedCall call) {
    }

    @Override
    public void retryLater(ClaimedCall call, Duration delay, String reason) {
        queue.add(new ClaimedCall(call.call(), call.attempt() + 1, call.handle()));
    }
}
