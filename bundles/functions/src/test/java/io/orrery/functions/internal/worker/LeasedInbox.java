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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A function queue in memory whose claims expire: a claim neither completed, handed back nor extended within its
 * lease is delivered again as the next attempt, as the engine's queues do after a member is lost. Its nacks can be
 * made to fail, as a queue's do while a member is lost.
 */
final class LeasedInbox implements CallInbox {

    private record Claim(ClaimedCall call, Instant expires) {
    }

    private static final Duration POLL = Duration.ofMillis(20);

    private final Duration lease;
    private final LinkedBlockingQueue<ClaimedCall> queue = new LinkedBlockingQueue<>();
    private final Map<Object, Claim> claims = new ConcurrentHashMap<>();
    private final AtomicInteger failingNacks = new AtomicInteger();
    /** Claims delivered again after their lease ran out. */
    final AtomicInteger expired = new AtomicInteger();

    LeasedInbox(Duration lease) {
        this.lease = lease;
    }

    void add(OutboundCall call) {
        queue.add(new ClaimedCall(call, 1, new Object()));
    }

    /** The next {@code n} nacks throw, as a queue's do while a member is lost. */
    void failNacks(int n) {
        failingNacks.set(n);
    }

    /** Claims neither completed, handed back nor expired yet. */
    int outstanding() {
        return claims.size();
    }

    @Override
    public List<ClaimedCall> claim(int max, Duration wait) throws InterruptedException {
        long until = System.nanoTime() + wait.toNanos();
        ClaimedCall first;
        do {
            redeliverExpired();
            first = queue.poll(Math.min(POLL.toMillis(), wait.toMillis()), TimeUnit.MILLISECONDS);
        } while (first == null && System.nanoTime() < until);
        if (first == null) {
            return List.of();
        }
        List<ClaimedCall> out = new ArrayList<>(List.of(first));
        queue.drainTo(out, max - 1);
        out.forEach(c -> claims.put(c.handle(), new Claim(c, Instant.now().plus(lease))));
        return out;
    }

    private void redeliverExpired() {
        Instant now = Instant.now();
        claims.values().removeIf(c -> {
            if (c.expires().isAfter(now)) {
                return false;
            }
            expired.incrementAndGet();
            queue.add(next(c.call()));
            return true;
        });
    }

    private static ClaimedCall next(ClaimedCall c) {
        return new ClaimedCall(c.call(), c.attempt() + 1, new Object());
    }

    @Override
    public void complete(ClaimedCall call) {
        claims.remove(call.handle());
    }

    @Override
    public void retryLater(ClaimedCall call, Duration delay, String reason) {
        if (failingNacks.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("member lost: call " + call.call().callId() + " not handed back");
        }
        if (claims.remove(call.handle()) != null) {
            queue.add(next(call));
        }
    }

    @Override
    public Duration lease(ClaimedCall call) {
        return lease;
    }

    @Override
    public ClaimedCall extend(ClaimedCall call, Duration lease) {
        Claim renewed = claims.computeIfPresent(call.handle(),
                (h, c) -> new Claim(c.call(), Instant.now().plus(lease)));
        return renewed == null ? null : call;
    }
}
