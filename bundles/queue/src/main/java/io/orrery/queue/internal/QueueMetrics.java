package io.orrery.queue.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.orrery.api.queue.MessageState;
import io.orrery.api.queue.QueueId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters per queue, tagged {@code tenant} and {@code queue}. Counters count what this member's callers
 * did (Prometheus sums members); depth gauges report the shards this member owns (so their sum over members is
 * the queue's depth); the wait timer is enqueue (or end of delay) to claim, with p50 and p99 published.
 */
final class QueueMetrics {

    /** Meters of one queue. */
    static final class Meters {
        final Counter enqueued;
        final Counter duplicates;
        final Counter claimed;
        final Counter acked;
        final Counter nacked;
        final Counter redelivered;
        final Counter expired;
        final Counter dead;
        final Timer wait;

        private Meters(MeterRegistry r, Tags tags) {
            enqueued = counter(r, "orrery.queue.enqueued", "messages accepted by enqueue", tags);
            duplicates = counter(r, "orrery.queue.duplicates", "enqueues refused as duplicate ids", tags);
            claimed = counter(r, "orrery.queue.claimed", "deliveries leased to consumers", tags);
            acked = counter(r, "orrery.queue.acked", "deliveries completed", tags);
            nacked = counter(r, "orrery.queue.nacked", "deliveries given back by consumers", tags);
            redelivered = counter(r, "orrery.queue.redelivered", "deliveries after the first of a message", tags);
            expired = counter(r, "orrery.queue.lease.expired", "leases that ran out", tags);
            dead = counter(r, "orrery.queue.dead", "messages moved to the dead letters", tags);
            wait = Timer.builder("orrery.queue.wait").description("time from claimable to claimed").tags(tags)
                    .publishPercentiles(0.5, 0.99).distributionStatisticExpiry(Duration.ofMinutes(1))
                    .register(r);
        }

        private static Counter counter(MeterRegistry r, String name, String description, Tags tags) {
            return Counter.builder(name).description(description).tags(tags).register(r);
        }

        void waited(long micros) {
            wait.record(Math.max(0, micros), TimeUnit.MICROSECONDS);
        }

        private int remove(MeterRegistry r) {
            List<Meter> all = List.of(enqueued, duplicates, claimed, acked, nacked, redelivered, expired, dead, wait);
            all.forEach(r::remove);
            return all.size();
        }
    }

    /** What the gauges read before the member can read its shards. */
    private static final LocalDepth NO_DEPTH = new LocalDepth(new long[MessageState.values().length], 0);

    private final MeterRegistry registry;
    private final Function<QueueId, LocalDepth> depths;
    private final ConcurrentHashMap<QueueId, Meters> meters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<QueueId, List<Meter>> gauges = new ConcurrentHashMap<>();

    /** @param depths the part of a queue's depth this member's shards hold, read when the gauges are */
    QueueMetrics(MeterRegistry registry, Function<QueueId, LocalDepth> depths) {
        this.registry = registry;
        this.depths = depths;
    }

    Meters of(QueueId queue) {
        Meters m = meters.get(queue);
        if (m == null) {
            // First use here, or first since the tenant's meters were dropped: its depth gauges come back with it.
            gauges(queue);
            m = meters.computeIfAbsent(queue, q -> new Meters(registry, tags(q)));
        }
        return m;
    }

    /** Depth gauges of a queue, once: every member reports the shards it owns (so their sum is the queue's depth). */
    void gauges(QueueId queue) {
        gauges.computeIfAbsent(queue, q -> {
            Tags tags = tags(q);
            List<Meter> made = new ArrayList<>();
            for (MessageState state : new MessageState[] {MessageState.PENDING, MessageState.DELAYED,
                    MessageState.LEASED, MessageState.DEAD}) {
                made.add(gauge("orrery.queue.depth", "messages in the shards this member owns, by state",
                        tags.and("state", state.name().toLowerCase()), m -> m.depth(q).count(state)));
            }
            made.add(gauge("orrery.queue.oldest.age.seconds", "age of the oldest pending message in this member's "
                    + "shards", tags, m -> m.depth(q).oldestAgeSeconds()));
            return List.copyOf(made);
        });
    }

    /**
     * Drops every meter of the tenant's queues, here and in the node's registry (removed from this registry, the
     * component's composite, they leave the node's too): the tenant is deleted, its gauges must not keep reading its
     * queues, and one created later under its name gets fresh meters on its first use of a queue here. A meter kept
     * here after the node's registry dropped it would count where nothing reads it.
     */
    int forget(String tenant) {
        int removed = 0;
        for (QueueId queue : List.copyOf(gauges.keySet())) {
            if (queue.tenant().equals(tenant)) {
                List<Meter> gone = gauges.remove(queue);
                if (gone != null) {
                    gone.forEach(registry::remove);
                    removed += gone.size();
                }
            }
        }
        for (QueueId queue : List.copyOf(meters.keySet())) {
            if (queue.tenant().equals(tenant)) {
                Meters gone = meters.remove(queue);
                if (gone != null) {
                    removed += gone.remove(registry);
                }
            }
        }
        return removed;
    }

    // The gauges read through this object, which lives as long as the queue service: Micrometer holds a gauge's
    // object weakly, and a gauge whose object is collected reads NaN.
    private Gauge gauge(String name, String description, Tags tags, ToDoubleFunction<QueueMetrics> f) {
        return Gauge.builder(name, this, f).description(description).tags(tags).register(registry);
    }

    private LocalDepth depth(QueueId queue) {
        LocalDepth d = depths.apply(queue);
        return d == null ? NO_DEPTH : d;
    }

    private static Tags tags(QueueId q) {
        return Tags.of("tenant", q.tenant(), "queue", q.name());
    }

    /** The part of a queue's depth held by this member's shards. */
    record LocalDepth(long[] byState, double oldestAgeSeconds) {
        double count(MessageState s) {
            return byState[s.ordinal()];
        }
    }
}
