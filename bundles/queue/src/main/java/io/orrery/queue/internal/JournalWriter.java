package io.orrery.queue.internal;

import com.hazelcast.core.HazelcastInstanceNotActiveException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.orrery.api.fault.CrashPoints;
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
 * Write-behind persistence: every flush interval, writes the changes owed by the shards this member writes for
 * ({@link JournalShards}) to the store, then marks them written in the shard (and its backups).
 *
 * <p>Loss window: a change is at risk only while it is in a shard's journal and every replica of that shard dies,
 * i.e. in a full-cluster crash. A single member's death loses nothing: the journal is part of the replicated shard,
 * and the new owner writes it. The at-risk time of each written change is recorded in the timer
 * {@code orrery.queue.persist.lag} (from the oldest unwritten change of a shard to the commit that covered it);
 * it is the flush interval plus the write time.
 *
 * <p>A row the store refuses for its content (a data or constraint error) is written apart from the others, so it
 * cannot hold up every later flush; one the store refuses even alone is logged, counted in
 * {@code orrery.queue.persist.refused} and not tried again.
 */
final class JournalWriter implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);
    private static final int BATCH = 500;
    private static final long SWEEP_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Set<String> owing = ConcurrentHashMap.newKeySet();
    private final QueueContext ctx;
    private final JournalShards shards;
    private final MessageTable table;
    private final QueueOptions options;
    private final String member;
    private final Timer lag;
    private final Counter refused;
    private final AtomicLong maxLagMicros = new AtomicLong();
    private volatile boolean running = true;

    JournalWriter(QueueContext ctx, JournalShards shards, MessageTable table, QueueOptions options,
                  MeterRegistry meters, String member) {
        this.ctx = ctx;
        this.shards = shards;
        this.table = table;
        this.options = options;
        this.member = member;
        this.lag = Timer.builder("orrery.queue.persist.lag")
                .description("time a queue change waited to be written to the store (the loss window)")
                .publishPercentiles(0.5, 0.99).distributionStatisticExpiry(Duration.ofMinutes(1)).register(meters);
        this.refused = Counter.builder("orrery.queue.persist.refused")
                .description("queue rows the store refused even when written alone (not persisted)")
                .register(meters);
    }

    void register() {
        shards.register();
    }

    void unregister() {
        shards.unregister();
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
                if (!ctx.guard().present()) {
                    continue; // a minority side's shards are not the truth: the majority writes
                }
                if (System.nanoTime() - lastSweep > SWEEP_NANOS) { // shards that moved here, orphans
                    lastSweep = System.nanoTime();
                    owing.addAll(shards.all());
                }
                flushOwing();
                if (System.nanoTime() - lastCleanup > TimeUnit.MINUTES.toNanos(1)) {
                    lastCleanup = System.nanoTime();
                    table.deleteFinishedBefore(ctx.clock().now() - Micros.of(options.idempotencyWindow()));
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

    /** Writes everything every shard this member writes for owes, whether or not it was told. */
    synchronized void flushAll() throws SQLException {
        owing.addAll(shards.all());
        flushOwing();
    }

    private record Taken(QueueRoute route, String key, JournalBatch batch) {
        MessageTable.ShardBatch row() {
            return new MessageTable.ShardBatch(route.id(), ShardKeys.indexOf(key), batch);
        }

        Taken with(JournalBatch b) {
            return new Taken(route, key, b);
        }
    }

    /** One round over {@code keys}; true if some shard had a full batch (more may be owed). */
    private boolean flush(List<String> keys) throws SQLException {
        List<Taken> taken = take(keys);
        if (taken.isEmpty()) {
            return false;
        }
        CrashPoints.reach(QueueCrashPoints.JOURNAL_TAKEN, member);
        List<Taken> stored = store(taken);
        CrashPoints.reach(QueueCrashPoints.JOURNAL_STORED, member);
        long written = ctx.clock().now();
        List<ShardCalls.Call> marks = new ArrayList<>();
        boolean more = false;
        for (Taken t : stored) {
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
        ctx.calls().callAll(marks);
        return more;
    }

    private List<Taken> take(List<String> keys) {
        long now = ctx.clock().now();
        List<ShardCalls.Call> takes = new ArrayList<>();
        for (String key : keys) {
            ctx.registry().find(ShardKeys.queueOf(key)).ifPresent(route -> takes.add(new ShardCalls.Call(route, key,
                    JournalOperation.take(now, route.rules(), BATCH))));
        }
        List<ShardReply> replies = ctx.calls().callAll(takes);
        List<Taken> taken = new ArrayList<>();
        for (int i = 0; i < takes.size(); i++) {
            JournalBatch batch = replies.get(i).journal();
            if (batch != null && !batch.isEmpty()) {
                taken.add(new Taken(takes.get(i).route(), takes.get(i).key(), batch));
            }
        }
        return taken;
    }

    /** Writes the batches in one transaction; if the store refuses one for its content, shard by shard. */
    private List<Taken> store(List<Taken> taken) throws SQLException {
        try {
            table.write(taken.stream().map(Taken::row).toList());
            return taken;
        } catch (SQLException e) {
            if (!refusedForContent(e)) {
                throw e;
            }
            LOG.warn("queue journal: the store refused a flush of {} shard(s) ({}); writing them apart",
                    taken.size(), e.toString());
        }
        List<Taken> stored = new ArrayList<>();
        for (Taken t : taken) {
            stored.add(storeApart(t));
        }
        return stored;
    }

    /** One shard's batch, alone, and if that fails row by row; what was written (or refused for good). */
    private Taken storeApart(Taken t) throws SQLException {
        try {
            table.write(List.of(t.row()));
            return t;
        } catch (SQLException e) {
            if (!refusedForContent(e)) {
                throw e;
            }
        }
        JournalBatch b = t.batch();
        if (b.purgedThrough() >= 0) {
            table.write(List.of(t.with(JournalBatch.of(List.of(), b.purgedThrough(), b.oldestChange())).row()));
        }
        for (Slot row : b.entries()) {
            try {
                table.write(List.of(t.with(JournalBatch.of(List.of(row), -1, b.oldestChange())).row()));
            } catch (SQLException e) {
                if (!refusedForContent(e)) {
                    throw e;
                }
                refused.increment();
                try (var log = LogContext.of(t.route().id().tenant(), row.traceId())) {
                    LOG.error("{}: message {} cannot be written to the store and is not persisted: {}",
                            t.route().id(), row.id(), e.toString());
                }
            }
        }
        return t; // every row written or refused for good: all marked written
    }

    /** A data exception or a constraint violation (SQLSTATE classes 22 and 23): the row's fault, not the store's. */
    private static boolean refusedForContent(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            String state = x.getSQLState();
            if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                return true;
            }
        }
        return false;
    }
}
