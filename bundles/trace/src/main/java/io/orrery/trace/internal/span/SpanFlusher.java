package io.orrery.trace.internal.span;

import io.opentelemetry.sdk.trace.ReadableSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes ended spans off the threads that end them (engine lanes, requests): they only enqueue the SDK's span. One
 * thread encodes them ({@link SpanCodec}) as they come, into their trace's group of the batch
 * ({@link SpanGroup.Gathering}), then keeps the batch in the cluster's map with one operation per partition
 * ({@link SpanMap#putAll}) and hands it to the store's {@link SpanWriter}. The buffer is bounded: when it is full
 * a span is dropped and counted ({@link #dropped()}), never waited for. Closing flushes what is buffered. Each span
 * and group is encoded once, for the map and the store alike.
 */
public final class SpanFlusher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SpanFlusher.class);
    private static final int BATCH = 16_384;
    /**
     * How long a batch gathers after its first span: long enough that a trace's spans of the batch are several (a
     * map entry and a store row each) and a partition gets several entries at once, short enough that a trace
     * reads complete soon after it ends.
     */
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final SpanMap map;
    private final SpanWriter writer;
    private final SpanTrim trim;
    private final BlockingQueue<ReadableSpan> pending;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final Thread thread;
    /** Batches sent to the map and not yet answered: closing waits for them, as the member may stop next. */
    private final Set<CompletableFuture<Void>> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;

    public SpanFlusher(SpanMap map, SpanWriter writer, SpanTrim trim, int capacity) {
        this.map = map;
        this.trim = trim;
        this.writer = writer;
        this.pending = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, "orrery-trace-span-flusher");
        thread.setDaemon(true);
        thread.start();
    }

    /** Buffers an ended span; answers false (and counts it) when the buffer is full. */
    public boolean offer(ReadableSpan span) {
        if (pending.offer(span)) {
            return true;
        }
        if (dropped.getAndIncrement() % 10_000 == 0) {
            LOG.warn("The span buffer is full ({} spans): spans are dropped until it drains", pending.size());
        }
        return false;
    }

    /** Spans dropped because the buffer was full. */
    public long dropped() {
        return dropped.get();
    }

    /** Spans not kept: refused by the cluster's map (the cluster was down), or not encodable. */
    public long lost() {
        return lost.get();
    }

    /** Spans ended but not yet handed on. */
    public int backlog() {
        return pending.size();
    }

    private void run() {
        List<ReadableSpan> drained = new ArrayList<>();
        SpanGroup.Gathering gathering = new SpanGroup.Gathering();
        while (running || !pending.isEmpty()) {
            try {
                ReadableSpan first = pending.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                gather(gathering, first);
                long deadline = System.nanoTime() + LINGER_NANOS;
                while (running && gathering.spans() < BATCH && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(Math.min(LINGER_NANOS / 10, deadline - System.nanoTime()));
                    drain(gathering, drained);
                }
                drain(gathering, drained);
                flush(gathering.groups());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("{} spans were not kept: {}", gathering.spans(), e.toString());
                gathering = new SpanGroup.Gathering();
            }
        }
    }

    /** Encodes what has ended since, at once: see {@link SpanGroup.Gathering}. */
    private void drain(SpanGroup.Gathering gathering, List<ReadableSpan> drained) {
        pending.drainTo(drained, BATCH - gathering.spans());
        for (ReadableSpan span : drained) {
            gather(gathering, span);
        }
        drained.clear();
    }

    private void gather(SpanGroup.Gathering gathering, ReadableSpan span) {
        try {
            gathering.add(span.toSpanData());
        } catch (RuntimeException e) {
            lost(1, e); // this span alone: its group is as it was before it
        }
    }

    private void flush(List<SpanGroup> groups) {
        int spans = 0;
        for (SpanGroup group : groups) {
            spans += group.size();
            if (map.trimmed()) {
                trim.kept(group.startMicros(), group.size());
            }
        }
        try {
            CompletableFuture<Void> kept = map.putAll(groups, this::lost).toCompletableFuture();
            inFlight.add(kept);
            kept.whenComplete((v, e) -> inFlight.remove(kept));
        } catch (RuntimeException e) {
            lost(spans, e);
        }
        writer.offerAll(groups);
    }

    private void lost(int spans, Throwable e) {
        long before = lost.getAndAdd(spans);
        if (before == 0 || before / 1000 != (before + spans) / 1000) {
            LOG.warn("{} spans were not kept in the cluster: {}", spans, e.toString());
        }
    }

    /** Completes once the map has answered every batch handed to it so far. */
    public CompletableFuture<Void> whenKept() {
        return CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new));
    }

    /** Hands on every buffered span and waits until the map has them, then stops. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
            whenKept().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("The last spans may not be kept in the cluster: {}", e.toString());
        }
    }
}
