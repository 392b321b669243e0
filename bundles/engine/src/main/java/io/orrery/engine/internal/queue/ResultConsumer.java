package io.orrery.engine.internal.queue;

import io.orrery.api.engine.CallResult;
import io.orrery.api.fault.CrashPoints;
import io.orrery.api.queue.Claim;
import io.orrery.api.queue.ClaimPacing;
import io.orrery.api.queue.ClaimRequest;
import io.orrery.api.queue.QueueId;
import io.orrery.api.queue.QueueService;
import io.orrery.engine.internal.CallOutbox;
import io.orrery.engine.internal.EngineCore;
import io.orrery.engine.internal.EngineCrashPoints;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims settled calls from every tenant's results queue and hands them to the engine; acknowledges a batch
 * only once every result in it was applied and saved, so a crash redelivers rather than loses (and a redelivered
 * result is recognised as applied).
 *
 * <p>Saved means in the Hazelcast map, replicated to its backups, not yet written to the store: waiting for the
 * engine's journal would hold every result a flush interval and make the queues write most of them. A crash of every
 * member in that interval loses the save but not the result's effect: the restore finds the call pending with its
 * outcome spent in the queues and issues it again under a fresh id ({@link LostOutcomes}), so such a call runs once
 * more rather than waiting for ever.
 */
public final class ResultConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResultConsumer.class);
    private static final Duration RETRY_DELAY = Duration.ofMillis(500);

    private final QueueService queues;
    private final EngineCore engine;
    private final ExecutorService threads;
    private final int batch;
    private final ClaimPacing pacing;
    private final String node;
    private final QueueWaits waits;
    private volatile boolean running = true;

    public ResultConsumer(QueueService queues, EngineCore engine, int threadCount, int batch) {
        this(queues, engine, threadCount, batch, "local");
    }

    /** @param node this node's name, the scope of its crash points */
    public ResultConsumer(QueueService queues, EngineCore engine, int threadCount, int batch, String node) {
        this(queues, engine, threadCount, batch, node, Duration.ZERO, QueueWaits.NONE);
    }

    /**
     * @param claimLinger the pause of a thread after a claim that found less than a batch (see {@link ClaimPacing})
     * @param waits       records each result's queue wait, under which the reaction it causes nests
     */
    public ResultConsumer(QueueService queues, EngineCore engine, int threadCount, int batch, String node,
                          Duration claimLinger, QueueWaits waits) {
        this.pacing = new ClaimPacing(claimLinger);
        this.node = node;
        this.waits = waits;
        this.queues = queues;
        this.engine = engine;
        this.batch = batch;
        this.threads = Executors.newFixedThreadPool(threadCount, r -> {
            Thread t = new Thread(r, "orrery-engine-results");
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < threadCount; i++) {
            threads.execute(this::loop);
        }
    }

    private void loop() {
        var request = new ClaimRequest(List.of(QueueId.anyTenant(QueueCallPort.RESULTS)), batch, null,
                Duration.ofMillis(200));
        while (running) {
            try {
                pacing.beforeClaim();
                List<Claim> claims = queues.claim(request);
                pacing.claimed(claims.size(), batch);
                if (claims.isEmpty()) {
                    continue;
                }
                settle(claims);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (running) {
                    LOG.error("results consumer", e);
                }
            }
        }
    }

    /**
     * Applies the claimed results; acknowledges those applied and saved, hands the others back for a later attempt
     * (a result whose application failed must not be acknowledged, or its call stays pending for ever).
     */
    private void settle(List<Claim> claims) {
        List<CompletableFuture<Void>> applied = new ArrayList<>(claims.size());
        CallOutbox outbox = new CallOutbox();
        for (Claim c : claims) {
            CompletableFuture<Void> done;
            try {
                CallResult result = QueueCallPort.read(c.message().payload(), CallResult.class);
                done = engine.deliverAndWait(result, waits.waited(c), outbox);
            } catch (RuntimeException e) {
                done = CompletableFuture.failedFuture(e); // unreadable: retried, then dead-lettered by the queue
            }
            applied.add(done);
        }
        List<Claim> ok = new ArrayList<>(claims.size());
        for (int i = 0; i < claims.size(); i++) {
            try {
                applied.get(i).join();
                ok.add(claims.get(i));
            } catch (RuntimeException e) {
                queues.nack(claims.get(i), RETRY_DELAY, "result not applied: " + e.getMessage());
            }
        }
        engine.send(outbox); // the batch's calls in one enqueue per shard, not one per result
        CrashPoints.reach(EngineCrashPoints.RESULT_APPLIED_BEFORE_ACK, node);
        if (!ok.isEmpty()) {
            queues.ackAll(ok);
        }
    }

    @Override
    public void close() {
        running = false;
        threads.shutdownNow();
    }
}
