package io.orrery.queue.internal;

import com.hazelcast.core.HazelcastInstanceNotActiveException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.orrery.queue.grid.JournalBatch;
import io.orrery.queue.grid.JournalOperation;
import io.orrery.queue.grid.ShardReply;
import io.orrery.queue.grid.Slot;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Write-behind persistence: every flush interval, writes the changes owed by the shards this member owns to the
 * store, then marks them written in the shard (and its backups).
 *
 * <p>Loss window: a change is at risk only while it is in a shard's journal and every replica of that shard dies,
 * i.e. in a full-cluster crash. A single member's death loses nothing: the journal is part of the replicated shard,
 * and the new owner writes it. The at-risk time of each written change is recorded in the timer
 * {@code orrery.queue.persist.lag} (from the oldest unwritten change of a shard to the commit that covered it);
 * it is the flush interval plus the write time.
 */
final class JournalWriter implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);
    private static final int BATCH = 500;

    private final Set<String> owing = ConcurrentHashMap.newKeySet();
    private final QueueRegistry registry;
    private final ShardCalls calls;
    private final LocalShards local;
    private final MessageTable table;
    private final QueueOptions options;
    private final Timer lag;
    private final AtomicLong maxLagMicros = new AtomicLong();
    private volatile boolean running = true;

    JournalWriter(QueueRegistry registry, ShardCalls calls, LocalShards local, MessageTable table,
                  QueueOptions options, MeterRegistry meters) {
        this.registry = registry;
        this.calls = calls;
        this.local = local;
        this.table = table;
        this.options = options;
        this.lag = Timer.builder("orrery.queue.persist.lag")
                .description("time a queue change waited to be written to the store (the loss window)")
                .publishPercentiles(0.5, 0.99).distributionStatisticExpiry(Duration.ofMinutes(1)).register(meters);
    }

    /** A shard owned here has unwritten changes since {@code oldestUnwritten}. */
    void owes(String shardKey, long oldestUnwritten) {
        if (oldestUnwritten != Slot.NONE) {
            owing.add(shardKey);
        }
    }

    long maxLagMicros() {
        return maxLagMicros.get();
    }

    Timer lag() {
        return lag;
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        long interval = Math.max(1, options.flushInterval().toMillis());
        long lastSweep = System.nanoTime();
        long lastCleanup = System.nanoTime();
        while (running) {
            try {
                Thread.sleep(interval);
                if (System.nanoTime() - lastSweep > TimeUnit.SECONDS.toNanos(5)) { // shards that moved here
                    lastSweep = System.nanoTime();
                    registry.all().forEach(r -> r.shardKeys().stream().filter(local::owns).forEach(owing::add));
                }
                flushOwing();
                if (System.nanoTime() - lastCleanup > TimeUnit.MINUTES.toNanos(1)) {
                    lastCleanup = System.nanoTime();
                    table.deleteFinishedBefore(Micros.now() - Micros.of(options.idempotencyWindow()));
                }
            } catch (InterruptedException e) {
                return;
            } catch (HazelcastInstanceNotActiveException e) {
                return; // the member is gone, and this service with it
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warn("queue journal: {}", e.toString());
            }
        }
    }

    /**
     * Writes what the shards that told us owe: takes each one's batch (in parallel), writes them all in one
     * transaction, then marks them written. Shards with more than a batch go round again at once.
     */
    synchronized void flushOwing() throws SQLException {
        boolean more = true;
        while (more && !owing.isEmpty()) {
            List<String> keys = List.copyOf(owing);
            owing.removeAll(keys);
            try {
                more = flush(keys);
            } catch (SQLException | RuntimeException e) {
                owing.addAll(keys);
                throw e;
            }
        }
    }

    /** Writes everything every shard this member owns owes, whether or not it was told. */
    synchronized void flushAll() throws SQLException {
        registry.all().forEach(r -> r.shardKeys().stream().filter(local::owns).forEach(owing::add));
        flushOwing();
    }

    private record Taken(QueueRoute route, String key, JournalBatch batch) {
    }

    /** One round over {@code keys}; true if some shard had a full batch (more may be owed). */
    private boolean flush(List<String> keys) throws SQLException {
        long now = Micros.now();
        List<ShardCalls.Call> takes = new ArrayList<>();
        for (String key : keys) {
            registry.find(ShardKeys.queueOf(key)).ifPresent(route -> takes.add(new ShardCalls.Call(route, key,
                    JournalOperation.take(now, route.rules(), BATCH))));
        }
        List<ShardReply> replies = calls.callAll(takes);
        List<Taken> taken = new ArrayList<>();
        for (int i = 0; i < takes.size(); i++) {
            JournalBatch batch = replies.get(i).journal();
            if (batch != null && !batch.isEmpty()) {
                taken.add(new Taken(takes.get(i).route(), takes.get(i).key(), batch));
            }
        }
        if (taken.isEmpty()) {
            return false;
        }
        table.write(taken.stream().map(t -> new MessageTable.ShardBatch(t.route().id(), ShardKeys.indexOf(t.key()),
                t.batch())).toList());
        long written = Micros.now();
        List<ShardCalls.Call> marks = new ArrayList<>();
        boolean more = false;
        for (Taken t : taken) {
            marks.add(new ShardCalls.Call(t.route(), t.key(), JournalOperation.written(written, t.route().rules(),
                    t.batch())));
            if (t.batch().oldestChange() != Slot.NONE) {
                long atRisk = Math.max(0, written - t.batch().oldestChange());
                lag.record(atRisk, TimeUnit.MICROSECONDS);
                maxLagMicros.accumulateAndGet(atRisk, Math::max);
            }
            if (t.batch().entries().size() >= BATCH) {
                owing.add(t.key());
                more = true;
            }
        }
        calls.callAll(marks);
        return more;
    }
}
