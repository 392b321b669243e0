package io.orrery.trace.internal.span;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes spans behind to the store in batches on one thread, so recording a span never waits on JDBC; a batch
 * gathers for up to half a second, so that the spans of a trace share a row ({@link SpanTable}). The buffer
 * is bounded: when the store falls behind, new spans are dropped and counted rather than holding up the work they
 * describe (the map still has them for {@code maxAgeSeconds}).
 */
public final class SpanWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SpanWriter.class);
    private static final int BATCH = 10_000;
    /**
     * How long a batch gathers after its first span: the spans of one trace that a batch carries are stored as one
     * row, and most traces end within this.
     */
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final SpanTable table;
    private final BlockingQueue<EncodedSpan> pending;
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    public SpanWriter(SpanTable table, int capacity) {
        this.table = table;
        this.pending = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, "orrery-trace-span-writer");
        thread.setDaemon(true);
        thread.start();
    }

    public void offer(EncodedSpan span) {
        if (!pending.offer(span)) {
            dropped.incrementAndGet();
        }
    }

    public void offerAll(List<EncodedSpan> spans) {
        for (EncodedSpan span : spans) {
            offer(span);
        }
    }

    public long dropped() {
        return dropped.get();
    }

    /** Spans accepted but not yet written. */
    public int backlog() {
        return pending.size();
    }

    private void run() {
        List<EncodedSpan> batch = new ArrayList<>(BATCH);
        while (running || !pending.isEmpty()) {
            try {
                EncodedSpan first = pending.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + LINGER_NANOS;
                while (running && batch.size() < BATCH && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(Math.min(LINGER_NANOS / 10, deadline - System.nanoTime()));
                    pending.drainTo(batch, BATCH - batch.size());
                }
                pending.drainTo(batch, BATCH - batch.size());
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<EncodedSpan> batch) {
        try {
            table.insert(batch);
        } catch (Exception e) {
            dropped.addAndGet(batch.size());
            LOG.warn("{} spans were not stored: {}", batch.size(), e.toString());
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
