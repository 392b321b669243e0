package io.orrery.queue.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.orrery.api.queue.MessageState;
import io.orrery.api.queue.QueueId;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
    }

    private final MeterRegistry registry;
    private final ConcurrentHashMap<QueueId, Meters> meters = new ConcurrentHashMap<>();

    QueueMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    Meters of(QueueId queue) {
        return meters.computeIfAbsent(queue, q -> new Meters(registry, tags(q)));
    }

    /** Depth gauges of a queue, read from {@code depths} (a cache over the shards this member owns). */
    <T> void gauges(QueueId queue, T depths, java.util.function.BiFunction<T, QueueId, LocalDepth> read) {
        Tags tags = tags(queue);
        for (MessageState state : new MessageState[] {MessageState.PENDING, MessageState.DELAYED,
                MessageState.LEASED, MessageState.DEAD}) {
            gauge("orrery.queue.depth", "messages in the shards this member owns, by state",
                    tags.and("state", state.name().toLowerCase()), depths, d -> read.apply(d, queue).count(state));
        }
        gauge("orrery.queue.oldest.age.seconds", "age of the oldest pending message in this member's shards", tags,
                depths, d -> read.apply(d, queue).oldestAgeSeconds());
    }

    private <T> void gauge(String name, String description, Tags tags, T obj, ToDoubleFunction<T> f) {
        Gauge.builder(name, obj, f).description(description).tags(tags).register(registry);
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
