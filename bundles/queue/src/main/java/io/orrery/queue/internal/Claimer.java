package io.orrery.queue.internal;

import io.orrery.api.queue.Claim;
import io.orrery.api.fault.CrashPoints;
import io.orrery.api.queue.ClaimRequest;
import io.orrery.queue.grid.ClaimOperation;
import io.orrery.queue.grid.ShardReply;
import io.orrery.queue.grid.Slot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves claims: splits the wanted count among the tenants that have work by their weights
 * ({@link TenantScheduler}), takes each tenant's share from its shard with the most urgent head (one entry
 * processor claims a whole batch), and, when nothing is claimable, blocks on the {@link Doorbell} until a shard
 * turns claimable, a known delay or lease ends, or the idle poll interval passes.
 *
 * <p>Order across a queue's shards is as good as this member's views: views that cannot be trusted are refreshed
 * first (one parallel round of empty claims, which also reap), so the choice is exact when nothing changes
 * concurrently, and approximate under concurrency (a batch comes from one shard even if another shard's head is
 * as urgent).
 *
 * <p>A claim that already leased messages from some shards returns them even when a later shard call fails:
 * dropping them would leave them leased to nobody until their lease ends, and cost them an attempt.
 */
final class Claimer {

    private static final Logger LOG = LoggerFactory.getLogger(Claimer.class);

    private final QueueContext ctx;
    private final QueueRegistry registry;
    private final ShardViews views;
    private final ShardCalls calls;
    private final TenantScheduler scheduler;
    private final Doorbell doorbell;
    private final QueueMetrics metrics;
    private final long idlePollNanos;
    private final String member;

    Claimer(QueueContext ctx, ShardViews views, TenantScheduler scheduler, Doorbell doorbell, long idlePollNanos,
            String member) {
        this.ctx = ctx;
        this.registry = ctx.registry();
        this.views = views;
        this.calls = ctx.calls();
        this.scheduler = scheduler;
        this.doorbell = doorbell;
        this.metrics = ctx.metrics();
        this.idlePollNanos = idlePollNanos;
        this.member = member;
    }

    List<Claim> claim(ClaimRequest request) throws InterruptedException {
        long deadline = System.nanoTime() + request.waitUpTo().toNanos();
        while (true) {
            ctx.guard().check();
            long bell = doorbell.generation();
            List<QueueRoute> routes = registry.resolve(request.queues());
            List<Claim> claimed = claimNow(routes, request);
            long left = deadline - System.nanoTime();
            if (!claimed.isEmpty()) {
                CrashPoints.reach(QueueCrashPoints.CLAIM_LEASED, member);
                return claimed;
            }
            if (left <= 0) {
                return claimed;
            }
            long untilDue = views.nanosUntilDue(allKeys(routes), ctx.clock().now());
            doorbell.await(bell, Math.min(left, Math.min(untilDue, idlePollNanos)));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    private List<Claim> claimNow(List<QueueRoute> routes, ClaimRequest request) {
        List<Claim> claimed = new ArrayList<>();
        if (routes.isEmpty()) {
            return claimed;
        }
        Map<String, List<QueueRoute>> byTenant = new LinkedHashMap<>();
        for (QueueRoute r : routes) {
            byTenant.computeIfAbsent(r.id().tenant(), t -> new ArrayList<>()).add(r);
        }
        Set<String> exhausted = new HashSet<>();
        while (claimed.size() < request.max() && exhausted.size() < byTenant.size()) {
            List<String> eligible = byTenant.keySet().stream().filter(t -> !exhausted.contains(t)).toList();
            Map<String, Integer> plan = scheduler.plan(eligible, request.max() - claimed.size());
            boolean gather = byTenant.size() > 1;
            for (Map.Entry<String, Integer> share : plan.entrySet()) {
                int got;
                try {
                    got = claimFromTenant(byTenant.get(share.getKey()), share.getValue(), gather, request, claimed);
                } catch (RuntimeException e) {
                    if (claimed.isEmpty()) {
                        throw e;
                    }
                    LOG.warn("claim: a shard call failed after {} message(s) were leased; returning those: {}",
                            claimed.size(), e.toString());
                    return claimed;
                }
                if (got < share.getValue()) {
                    exhausted.add(share.getKey());
                }
            }
        }
        return claimed;
    }

    /**
     * Takes up to {@code wanted} from one tenant's queues, from the shard with the best head first. With
     * {@code gather} (several tenants compete) it goes on to further shards until the tenant's share is met, since
     * that share is what fairness promises. Alone, it stops at the first shard that gives anything: one entry
     * processor per claim (and per ack of its batch) is what keeps claiming cheap, and gathering a batch from many
     * nearly empty shards would cost one each; the consumer's next claim goes to the next shard anyway.
     */
    private int claimFromTenant(List<QueueRoute> routes, int wanted, boolean gather, ClaimRequest request,
                                List<Claim> out) {
        Map<String, QueueRoute> byKey = new LinkedHashMap<>();
        for (QueueRoute r : routes) {
            for (String key : r.shardKeys()) {
                byKey.put(key, r);
            }
        }
        List<String> keys = List.copyOf(byKey.keySet());
        refresh(byKey, views.toRefresh(keys, ctx.clock().now()), request);
        Set<String> tried = new HashSet<>();
        int got = 0;
        while (got < wanted && (gather || got == 0)) {
            long now = ctx.clock().now();
            String key = views.next(keys, tried, now);
            if (key == null) {
                break;
            }
            tried.add(key);
            QueueRoute route = byKey.get(key);
            CrashPoints.reach(QueueCrashPoints.CLAIM_NEXT_SHARD, member);
            ShardReply reply = calls.call(route, key,
                    new ClaimOperation(now, route.rules(), wanted - got, route.leaseMicros(request.lease())));
            got += delivered(route, ShardKeys.indexOf(key), reply.slots(), now, out);
        }
        return got;
    }

    /** Refreshes untrusted views with empty claims (which reap what is due); a failed one stays untrusted. */
    private void refresh(Map<String, QueueRoute> byKey, List<String> stale, ClaimRequest request) {
        if (stale.isEmpty()) {
            return;
        }
        long now = ctx.clock().now();
        List<ShardCalls.Call> peeks = new ArrayList<>(stale.size());
        for (String key : stale) {
            QueueRoute route = byKey.get(key);
            peeks.add(new ShardCalls.Call(route, key,
                    new ClaimOperation(now, route.rules(), 0, route.leaseMicros(request.lease()))));
        }
        calls.callEach(peeks, (call, reply) -> { }, (call, e) ->
                LOG.debug("claim: view of {} not refreshed: {}", call.key(), e.toString()));
    }

    private int delivered(QueueRoute route, int shardIndex, List<Slot> slots, long now, List<Claim> out) {
        if (slots.isEmpty()) {
            return 0;
        }
        QueueMetrics.Meters m = metrics.of(route.id());
        m.claimed.increment(slots.size());
        for (Slot s : slots) {
            if (s.attempts() > 1) {
                m.redelivered.increment();
            }
            m.waited(now - s.availableAt());
            Claim c = MessageCodec.toClaim(route.id(), shardIndex, s);
            if (LOG.isDebugEnabled()) {
                try (var log = LogContext.of(route.id().tenant(), c.message().trace().traceId())) {
                    LOG.debug("{}: claimed {} (attempt {}, waited {} µs)", route.id(), s.id(), s.attempts(),
                            now - s.availableAt());
                }
            }
            out.add(c);
        }
        return slots.size();
    }

    private static List<String> allKeys(List<QueueRoute> routes) {
        List<String> keys = new ArrayList<>();
        routes.forEach(r -> keys.addAll(r.shardKeys()));
        return keys;
    }
}
