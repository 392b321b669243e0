package io.orrery.queue.internal;

import io.orrery.api.queue.QueueSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Service-wide options (the {@code io.orrery.queue} configuration).
 *
 * @param defaults            settings of queues never configured
 * @param shards              shards of a new queue (kept per queue once created, so it can change safely), or
 *                            {@link #AUTO_SHARDS}: sized to the cluster when the queue is created
 *                            ({@link #shardsFor})
 * @param tenantWeights       claim weights by tenant; absent tenants weigh {@code 1}
 * @param persistence         whether messages are written behind to the store
 * @param flushInterval       how often the journal writer writes changes (the bound of the loss window)
 * @param idempotencyWindow   how long finished ids are remembered to refuse duplicates
 * @param maxRememberedPerShard at most this many finished ids remembered per shard
 * @param reapInterval        how often the lease reaper looks for due shards on this member
 * @param idlePoll            longest a waiting claim sleeps before looking again without a wake-up
 */
public record QueueOptions(QueueSettings defaults, int shards, Map<String, Integer> tenantWeights,
                           Persistence persistence, Duration flushInterval, Duration idempotencyWindow,
                           int maxRememberedPerShard, Duration reapInterval, Duration idlePoll) {

    public enum Persistence { NONE, WRITE_BEHIND }

    public static final QueueOptions DEFAULTS = new QueueOptions(QueueSettings.DEFAULTS, 8, Map.of(),
            Persistence.WRITE_BEHIND, Duration.ofMillis(100), Duration.ofMinutes(5), 20_000,
            Duration.ofMillis(50), Duration.ofSeconds(1));

    /** {@link #shards}: as many shards as the cluster has partition threads to run them, 2 to 8. */
    public static final int AUTO_SHARDS = 0;
    private static final int AUTO_MIN = 2;
    private static final int AUTO_MAX = 8;

    public QueueOptions {
        Objects.requireNonNull(defaults, "defaults");
        tenantWeights = Map.copyOf(tenantWeights);
        if (shards < AUTO_SHARDS || shards > 271) {
            throw new IllegalArgumentException("shards: must be 1..271, or 0 (sized to the cluster), got " + shards);
        }
        tenantWeights.forEach((t, w) -> {
            if (w < 1) {
                throw new IllegalArgumentException("tenantWeights: weight of " + t + " must be at least 1");
            }
        });
    }

    /**
     * Shards of a queue created now. A fixed count as configured; with {@link #AUTO_SHARDS}, one per partition
     * thread of the cluster ({@code members × partitionThreads}), at least 2 and at most 8. Why: a shard's operations
     * run on its partition's thread, so shards beyond the partition threads add no parallelism, while every shard
     * more splits enqueues and claims of a batch into more operations. On one 2-core member, 2 shards instead of 8
     * made the deployed engine 9–15 % faster (BENCHMARKS.md, engine). The count is kept when the cluster grows
     * (a queue's shard count never changes), so a queue created on one 2-core member keeps 2.
     */
    public int shardsFor(int members, int partitionThreads) {
        if (shards != AUTO_SHARDS) {
            return shards;
        }
        long threads = (long) Math.max(1, members) * Math.max(1, partitionThreads);
        return (int) Math.max(AUTO_MIN, Math.min(AUTO_MAX, threads));
    }

    /** Parses {@code acme:3,beta:1} (blank: no weights). */
    public static Map<String, Integer> parseWeights(String text) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return weights;
        }
        for (String part : text.split(",")) {
            String[] kv = part.trim().split(":");
            if (kv.length != 2) {
                throw new IllegalArgumentException("tenantWeights: expected tenant:weight, got '" + part.trim() + "'");
            }
            try {
                weights.put(kv[0].trim(), Integer.parseInt(kv[1].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("tenantWeights: weight of " + kv[0].trim() + " is not a number");
            }
        }
        return weights;
    }

    public QueueOptions withDefaults(QueueSettings s) {
        return new QueueOptions(s, shards, tenantWeights, persistence, flushInterval, idempotencyWindow,
                maxRememberedPerShard, reapInterval, idlePoll);
    }

    public QueueOptions withShards(int n) {
        return new QueueOptions(defaults, n, tenantWeights, persistence, flushInterval, idempotencyWindow,
                maxRememberedPerShard, reapInterval, idlePoll);
    }

    public QueueOptions withTenantWeights(Map<String, Integer> w) {
        return new QueueOptions(defaults, shards, w, persistence, flushInterval, idempotencyWindow,
                maxRememberedPerShard, reapInterval, idlePoll);
    }

    public QueueOptions withPersistence(Persistence p) {
        return new QueueOptions(defaults, shards, tenantWeights, p, flushInterval, idempotencyWindow,
                maxRememberedPerShard, reapInterval, idlePoll);
    }

    public QueueOptions withFlushInterval(Duration d) {
        return new QueueOptions(defaults, shards, tenantWeights, persistence, d, idempotencyWindow,
                maxRememberedPerShard, reapInterval, idlePoll);
    }

    public QueueOptions withIdempotency(Duration window, int maxPerShard) {
        return new QueueOptions(defaults, shards, tenantWeights, persistence, flushInterval, window, maxPerShard,
                reapInterval, idlePoll);
    }
}
