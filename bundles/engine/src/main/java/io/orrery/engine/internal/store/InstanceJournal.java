package io.orrery.engine.internal.store;

import io.micrometer.core.instrument.MeterRegistry;
import io.orrery.api.fault.CrashPoints;
import io.orrery.engine.internal.EngineCrashPoints;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Write-behind of instance records to the store: every save this member makes is remembered here (the newest
 * revision per instance) and written, a batch per flush interval, by one thread.
 *
 * <p>Loss window: a save is at risk in the store only until its flush commits, i.e. the flush interval plus the
 * write time; the timer {@code orrery.engine.persist.lag} records it per written record, from the first unwritten
 * save of the instance to the commit. Losing one member loses nothing: the map keeps the record (backups), and
 * {@code MemberLossRecovery} has the survivors write again what the lost member may not have written. Only a crash
 * of every member at once loses the saves of the last window.
 */
public final class InstanceJournal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceJournal.class);
    private static final int BATCH = 500;

    private final InstanceRows rows;
    private final long intervalNanos;
    private final Map<String, Change> dirty = new ConcurrentHashMap<>();
    private final Timer lag;
    private final AtomicLong maxLagNanos = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final Object flushing = new Object();
    private final Thread writer;
    private final String name;
    private volatile boolean running = true;
    private volatile java.util.function.Predicate<InstanceRows.Row> obsolete = row -> false;
    /** The batch being written: out of {@link #dirty}, not yet committed. */
    private volatile List<Change> inFlight = List.of();
    /** Who waits for a save to be committed ({@link #whenWritten}); guards the move from dirty to in flight too. */
    private final DurableWaits waits = new DurableWaits();

    /** @param fresh the instance was created by this member and its row has not been written yet */
    private record Change(InstanceRows.Row row, long since, boolean fresh) {
    }

    public InstanceJournal(InstanceRows rows, Duration flushInterval, MeterRegistry meters, String name) {
        this.rows = rows;
        this.name = name;
        this.intervalNanos = Math.max(1, flushInterval.toNanos());
        this.lag = Timer.builder("orrery.engine.persist.lag")
                .description("time an instance change waited to be written to the store (the loss window)")
                .publishPercentiles(0.5, 0.99).distributionStatisticExpiry(Duration.ofMinutes(1))
                .register(meters == null ? new SimpleMeterRegistry() : meters);
        this.writer = new Thread(this::run, "orrery-engine-journal-" + name);
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** A save to the map: to be written with the next flush (a newer revision replaces an unwritten older one). */
    public void record(InstanceRows.Row row) {
        long now = System.nanoTime();
        dirty.merge(row.id(), new Change(row, now, row.revision() == 1), (old, fresh) ->
                fresh.row.revision() >= old.row.revision() ? new Change(fresh.row, old.since, old.fresh) : old);
    }

    /** Saves that must not be written any more (a deleted tenant's); checked just before each write. */
    public void dropWhen(java.util.function.Predicate<InstanceRows.Row> obsolete) {
        this.obsolete = obsolete;
    }

    /** Drops the unwritten saves of a deleted tenant's instances (ids start with {@code tenant/}). */
    public void forget(String tenant) {
        synchronized (flushing) {
            dirty.keySet().removeIf(id -> id.startsWith(tenant + "/"));
            synchronized (waits) {
                waits.dropPrefix(tenant + "/");
            }
        }
    }

    private void run() {
        while (running) {
            LockSupport.parkNanos(intervalNanos);
            if (!running) {
                return; // halted or closed while parked: a halt writes nothing more, a close flushes itself
            }
            try {
                flush();
            } catch (SQLException | RuntimeException e) {
                LOG.warn("engine journal: write to the store failed, retrying in the next interval: {}", e.toString());
            }
        }
    }

    /** Writes everything recorded so far (the writer thread; tests and shutdown call it too). */
    public void flush() throws SQLException {
        synchronized (flushing) {
            while (!dirty.isEmpty()) {
                List<Change> batch = new ArrayList<>(Math.min(BATCH, dirty.size()));
                synchronized (waits) { // a waiter never sees a save in neither place
                    for (String id : dirty.keySet()) {
                        Change c = dirty.remove(id);
                        if (c != null) {
                            batch.add(c);
                        }
                        if (batch.size() == BATCH) {
                            break;
                        }
                    }
                    inFlight = batch;
                }
                writeBatch(batch);
            }
        }
    }

    private void writeBatch(List<Change> batch) throws SQLException {
        try {
            CrashPoints.reach(EngineCrashPoints.JOURNAL_TAKEN_BEFORE_COMMIT, name);
            List<InstanceRows.Row> fresh = new ArrayList<>();
            List<InstanceRows.Row> changed = new ArrayList<>();
            for (Change c : batch) {
                if (!obsolete.test(c.row)) {
                    (c.fresh ? fresh : changed).add(c.row);
                }
            }
            rows.write(fresh, changed);
        } catch (SQLException | RuntimeException e) {
            synchronized (waits) {
                batch.forEach(c -> dirty.merge(c.row.id(), c, (cur, old) -> cur.row.revision() >= old.row.revision()
                        ? new Change(cur.row, Math.min(cur.since, old.since), old.fresh) : old));
                inFlight = List.of();
            }
            throw e;
        }
        synchronized (waits) {
            inFlight = List.of();
            batch.forEach(c -> waits.written(c.row.id(), c.row.revision()));
        }
        long now = System.nanoTime();
        for (Change c : batch) {
            long waited = now - c.since;
            lag.record(waited, TimeUnit.NANOSECONDS);
            maxLagNanos.accumulateAndGet(waited, Math::max);
        }
        written.addAndGet(batch.size());
    }

    /**
     * Completes once the store holds revision {@code revision} of instance {@code id} or a later one: at once if no
     * save of it at that revision or later waits here, else when the batch holding it commits. What depends on a save
     * being durable (a parent told its child finished) waits for it, so that no crash keeps the effect and loses its
     * cause. A save a halted journal never writes never completes: the node is gone, and recovery tells again.
     */
    public CompletableFuture<Void> whenWritten(String id, long revision) {
        synchronized (waits) {
            Change pending = dirty.get(id);
            boolean waiting = pending != null && pending.row.revision() >= revision;
            for (Change c : inFlight) {
                waiting |= c.row.id().equals(id) && c.row.revision() >= revision;
            }
            return waiting ? waits.add(id, revision) : CompletableFuture.completedFuture(null);
        }
    }

    /**
     * The saves not yet committed to the store whose ids start with {@code idPrefix}, newest revision per id: what a
     * read of the store must lay over its rows to see this member's own last saves.
     */
    public Map<String, InstanceRows.Row> unwrittenRows(String idPrefix) {
        Map<String, InstanceRows.Row> found = new java.util.HashMap<>();
        for (Change c : inFlight) {
            if (c.row.id().startsWith(idPrefix)) {
                found.put(c.row.id(), c.row);
            }
        }
        dirty.forEach((id, c) -> {
            if (id.startsWith(idPrefix)) {
                found.merge(id, c.row, (a, b) -> a.revision() >= b.revision() ? a : b);
            }
        });
        return found;
    }

    /** Records waiting for the next flush. */
    public int unwritten() {
        return dirty.size();
    }

    /** Rows written since start. */
    public long written() {
        return written.get();
    }

    /** The longest a written change waited for its commit: the measured loss window. */
    public Duration maxLag() {
        return Duration.ofNanos(maxLagNanos.get());
    }

    /** Stops writing at once, without the final flush: what a crash leaves (tests). */
    public void halt() {
        running = false;
        writer.interrupt();
        dirty.clear();
    }

    @Override
    public void close() {
        running = false;
        writer.interrupt();
        try {
            writer.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            flush();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("engine journal: final flush failed, {} record(s) not written: {}", dirty.size(), e.toString());
        }
    }
}
