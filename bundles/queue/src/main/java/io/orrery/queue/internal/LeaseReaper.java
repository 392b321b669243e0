package io.orrery.queue.internal;

import com.hazelcast.core.HazelcastInstanceNotActiveException;
import io.orrery.api.fault.CrashPoints;
import io.orrery.queue.grid.Slot;
import io.orrery.queue.grid.TickOperation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Visits the shards this member owns when something in them is due: a delay ends (the message turns claimable
 * and waiting consumers anywhere are woken) or a lease expires (the message is redelivered, or dead after its last
 * attempt). Due times come from the shards themselves after every change ({@code MemberShards}); a periodic sweep
 * of all owned shards catches shards that moved here (migration, a member's death). Claims reap lazily too, so
 * the reaper matters for idle queues, wake-ups and timely dead-lettering.
 */
final class LeaseReaper implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseReaper.class);

    private final Map<String, Long> due = new ConcurrentHashMap<>();
    private final QueueContext ctx;
    private final QueueRegistry registry;
    private final ShardCalls calls;
    private final LocalShards local;
    private final long intervalMillis;
    private final long sweepMicros;
    private final String member;
    private volatile boolean running = true;

    LeaseReaper(QueueContext ctx, LocalShards local, long intervalMillis, long sweepMillis, String member) {
        this.ctx = ctx;
        this.registry = ctx.registry();
        this.calls = ctx.calls();
        this.local = local;
        this.intervalMillis = intervalMillis;
        this.sweepMicros = sweepMillis * 1000;
        this.member = member;
    }

    /** A shard owned here changed; {@code nextDue} is its next delay end or lease expiry. */
    void schedule(String shardKey, long nextDue) {
        if (nextDue == Slot.NONE) {
            due.remove(shardKey);
        } else {
            due.put(shardKey, nextDue);
        }
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        long lastSweep = ctx.clock().now();
        while (running) {
            try {
                long now = ctx.clock().now();
                if (!ctx.guard().present()) {
                    Thread.sleep(intervalMillis); // a minority side expires no leases: its holders may be fine
                    continue;
                }
                List<String> dueNow = new ArrayList<>();
                due.forEach((key, at) -> {
                    if (at <= now && due.remove(key, at)) {
                        dueNow.add(key);
                    }
                });
                if (now - lastSweep >= sweepMicros) {
                    lastSweep = now;
                    for (QueueRoute route : registry.all()) {
                        route.shardKeys().stream().filter(k -> !due.containsKey(k) && local.owns(k))
                                .forEach(dueNow::add);
                    }
                }
                if (!dueNow.isEmpty()) {
                    CrashPoints.reach(QueueCrashPoints.REAPER_TICK, member);
                }
                tick(dueNow, now);
                Thread.sleep(intervalMillis);
            } catch (InterruptedException e) {
                return;
            } catch (HazelcastInstanceNotActiveException e) {
                return; // the member is gone, and this service with it
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warn("lease reaper: {}", e.toString());
            }
        }
    }

    private void tick(List<String> keys, long now) {
        List<ShardCalls.Call> ticks = new ArrayList<>();
        for (String key : keys) {
            registry.find(ShardKeys.queueOf(key)).ifPresent(route ->
                    ticks.add(new ShardCalls.Call(route, key, new TickOperation(now, route.rules()))));
        }
        calls.callEach(ticks, (call, reply) -> {
            if (reply.view().nextDue() != Slot.NONE && local.owns(call.key())) {
                due.merge(call.key(), reply.view().nextDue(), Math::min);
            }
        }, (call, e) -> {
            if (running && !(e instanceof HazelcastInstanceNotActiveException)) {
                LOG.debug("lease reaper: tick of {} failed: {}", call.key(), e.toString());
                due.putIfAbsent(call.key(), now); // try again next round
            }
        });
    }
}
