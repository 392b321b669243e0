package io.orrery.queue.internal;

import io.orrery.api.queue.QueueId;
import io.orrery.api.queue.QueueSettings;
import io.orrery.queue.grid.ShardRules;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A known queue as every member sees it: its shard count (fixed when the queue is created), settings, shard keys,
 * and the rules sent with each shard operation.
 */
record QueueRoute(QueueId id, int shards, QueueSettings settings, List<String> shardKeys, ShardRules rules) {

    static QueueRoute of(QueueId id, int shards, QueueSettings settings, QueueOptions options) {
        List<String> keys = IntStream.range(0, shards).mapToObj(i -> ShardKeys.key(id, i)).toList();
        ShardRules rules = new ShardRules(settings.maxAttempts(), Micros.of(settings.retryDelay()),
                Micros.of(options.idempotencyWindow()), options.maxRememberedPerShard(),
                options.persistence() == QueueOptions.Persistence.WRITE_BEHIND);
        return new QueueRoute(id, shards, settings, keys, rules);
    }

    String shardKeyFor(String messageId, String exclusiveKey) {
        return shardKeys.get(ShardKeys.indexFor(messageId, exclusiveKey, shards));
    }

    long leaseMicros(Duration requested) {
        return Micros.of(requested != null ? requested : settings.leaseTime());
    }

    /** The registry's text form: {@code shards=8;leaseMs=30000;maxAttempts=5;retryDelayMs=0}. */
    String encode() {
        return "shards=" + shards + ";leaseMs=" + settings.leaseTime().toMillis() + ";maxAttempts="
                + settings.maxAttempts() + ";retryDelayMs=" + settings.retryDelay().toMillis();
    }

    static QueueRoute decode(QueueId id, String text, QueueOptions options) {
        int shards = options.shardsFor(1, 8); // only a text without "shards=" (none written so) falls back to it
        QueueSettings s = options.defaults();
        for (String part : text.split(";")) {
            String[] kv = part.split("=", 2);
            if (kv.length != 2) {
                continue;
            }
            long v = Long.parseLong(kv[1]);
            switch (kv[0]) {
                case "shards" -> shards = (int) v;
                case "leaseMs" -> s = s.withLeaseTime(Duration.ofMillis(v));
                case "maxAttempts" -> s = s.withMaxAttempts((int) v);
                case "retryDelayMs" -> s = s.withRetryDelay(Duration.ofMillis(v));
                default -> { } // written by a newer version: ignore
            }
        }
        return of(id, shards, s, options);
    }
}
