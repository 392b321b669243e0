package io.orrery.functions.internal.worker;

import io.orrery.api.engine.CallResult;
import io.orrery.api.fault.CrashPoints;
import io.orrery.api.function.CallInbox;
import io.orrery.api.function.CallPort;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers settled calls and then completes their claims, on one thread, taking whatever has settled meanwhile as
 * one batch: calls that end together share one enqueue of results and one acknowledgement, and a lone call waits
 * for nobody. Delivered before completed, so a crash in between redelivers rather than loses a result.
 */
final class SettledCalls implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SettledCalls.class);
    private static final int MOST = 256;

    private record Settled(LeaseKeeper.Held held, CallResult result) {
    }

    private final CallInbox inbox;
    private final Consumer<List<CallResult>> results;
    private final String node;
    private final BlockingQueue<Settled> settled = new LinkedBlockingQueue<>();
    private final Thread sender;

    SettledCalls(CallInbox inbox, Consumer<List<CallResult>> results, String node) {
        this.inbox = inbox;
        this.results = results;
        this.node = node;
        this.sender = new Thread(this::loop, "orrery-worker-results");
        sender.setDaemon(true);
        sender.start();
    }

    void add(LeaseKeeper.Held held, CallResult result) {
        settled.add(new Settled(held, result));
    }

    private void loop() {
        List<Settled> batch = new ArrayList<>();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                batch.add(settled.take());
                settled.drainTo(batch, MOST - 1);
                send(batch);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // Not completed: their claims expire and the calls run again; the engine applies a result once.
                LOG.error("settled calls not delivered ({} of them)", batch.size(), e);
                batch.forEach(s -> s.held().release());
            } finally {
                batch.clear();
            }
        }
    }

    private void send(List<Settled> batch) {
        List<CallResult> out = new ArrayList<>(batch.size());
        batch.forEach(s -> out.add(s.result()));
        CrashPoints.reach(CallPort.CALL_RAN_BEFORE_RESULT_SENT, node);
        results.accept(out);
        CrashPoints.reach(CallPort.RESULT_SENT_BEFORE_CALL_ACK, node);
        List<CallInbox.ClaimedCall> held = new ArrayList<>(batch.size());
        for (Settled s : batch) {
            CallInbox.ClaimedCall c = s.held().release();
            if (c != null) {
                held.add(c); // a claim lost meanwhile is another worker's now; its result was delivered all the same
            }
        }
        if (!held.isEmpty()) {
            inbox.completeAll(held);
        }
    }

    @Override
    public void close() {
        sender.interrupt();
    }
}
