package io.orrery.queue.internal;

import io.orrery.api.queue.Claim;
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
 * <p>Order across a queue's shards is as good as this member's views: exact when they are current (one consumer),
 * approximate under concurrency (a batch comes from one shard even if another shard's head is as urgent).
 */
final class Claimer {

    private static final Logger LOG = LoggerFactory.getLogger(Claimer.class);

    private final QueueRegistry registry;
    private final ShardViews views;
    private final ShardCalls calls;
    private final TenantScheduler scheduler;
    private final Doorbell doorbell;
    private final QueueMetrics metrics;
    private final long idlePollNanos;

    Claimer(QueueRegistry registry, ShardViews views, ShardCalls calls, TenantScheduler scheduler,
            Doorbell doorbell, QueueMetrics metrics, long idlePollNanos) {
        this.registry = registry;
        this.views = views;
        this.calls = calls;
        this.scheduler = scheduler;
        this.doorbell = doorbell;
        this.metrics = metrics;
        this.idlePollNanos = idlePollNanos;
    }

    List<Claim> claim(ClaimRequest request) throws InterruptedException {
        long deadline = System.nanoTime() + request.waitUpTo().toNanos();
        while (true) {
            long bell = doorbell.generation();
            List<QueueRoute> routes = registry.resolve(request.queues());
            List<Claim> claimed = claimNow(routes, request);
            long left = deadline - System.nanoTime();
            if (!claimed.isEmpty() || left <= 0) {
                return claimed;
            }
            long untilDue = views.nanosUntilDue(allKeys(routes), Micros.now());
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
                int got = claimFromTenant(byTenant.get(share.getKey()), share.getValue(), gather, request, claimed);
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
        Set<String> tried = new HashSet<>();
        int got = 0;
        while (got < wanted && (gather || got == 0)) {
            long now = Micros.now();
            String key = views.next(keys, tried, now);
            if (key == null) {
                break;
            }
            tried.add(key);
            QueueRoute route = byKey.get(key);
            ShardReply reply = calls.call(route, key,
                    new ClaimOperation(now, route.rules(), wanted - got, route.leaseMicros(request.lease())));
            got += delivered(route, ShardKeys.indexOf(key), reply.slots(), now, out);
        }
        return got;
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
