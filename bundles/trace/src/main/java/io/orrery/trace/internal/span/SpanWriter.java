package io.orrery.trace.internal.span;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes spans behind to the store on one thread, so recording a span never waits on JDBC: each {@link SpanGroup}
 * (a trace's spans of one flush) is a row, and the groups pending are written as one JDBC batch. The buffer is
 * bounded in spans: when the store falls behind, new groups are dropped and their spans counted rather than holding
 * up the work they describe (the map still has them for {@code maxAgeSeconds}).
 */
public final class SpanWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SpanWriter.class);
    private static final int BATCH = 2_000;

    private final SpanTable table;
    private final int capacity;
    private final BlockingQueue<SpanGroup> pending = new LinkedBlockingQueue<>();
    /** Spans in {@link #pending}, which the capacity bounds. */
    private final AtomicInteger buffered = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    public SpanWriter(SpanTable table, int capacity) {
        this.table = table;
        this.capacity = capacity;
        this.thread = new Thread(this::run, "orrery-trace-span-writer");
        thread.setDaemon(true);
        thread.start();
    }

    public void offer(SpanGroup group) {
        if (buffered.addAndGet(group.size()) > capacity) {
            buffered.addAndGet(-group.size());
            dropped.addAndGet(group.size());
            return;
        }
        pending.add(group);
    }

    public void offerAll(List<SpanGroup> groups) {
        for (SpanGroup group : groups) {
            offer(group);
        }
    }

    /** Spans not written: dropped from a full buffer, or refused by the store. */
    public long dropped() {
        return dropped.get();
    }

    /** Spans accepted but not yet written. */
    public int backlog() {
        return buffered.get();
    }

    private void run() {
        List<SpanGroup> batch = new ArrayList<>(BATCH);
        while (running || !pending.isEmpty()) {
            try {
                SpanGroup first = pending.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                pending.drainTo(batch, BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                for (SpanGroup group : batch) {
                    buffered.addAndGet(-group.size());
                }
                batch.clear();
            }
        }
    }

    private void write(List<SpanGroup> batch) {
        try {
            table.insert(batch);
        } catch (Exception e) {
            int spans = batch.stream().mapToInt(SpanGroup::size).sum();
            dropped.addAndGet(spans);
            LOG.warn("{} spans were not stored: {}", spans, e.toString());
        }
    }

    /** Writes what is pending, then stops. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
