package io.orrery.engine.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the calls of many events in few enqueues (flat combining): a lane with calls to send adds them to a shared
 * list; if no other lane is sending, it sends everything listed, over and over until the list is empty, otherwise
 * it goes on at once and the sending lane takes its calls along. Under load one enqueue carries the calls of
 * several events; alone, a lane sends its own calls straight away.
 */
final class CombiningDispatch {

    private static final Logger LOG = LoggerFactory.getLogger(CombiningDispatch.class);
    private static final int MAX_BATCH = 512;

    private final CallDispatch target;
    private final ConcurrentLinkedQueue<OutboundCall> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sending = new AtomicBoolean();

    CombiningDispatch(CallDispatch target) {
        this.target = target;
    }

    void send(List<OutboundCall> calls) {
        waiting.addAll(calls);
        while (!waiting.isEmpty() && sending.compareAndSet(false, true)) {
            try {
                for (List<OutboundCall> batch; !(batch = drain()).isEmpty(); ) {
                    try {
                        target.dispatch(batch);
                    } catch (RuntimeException e) {
                        // The calls stay pending in their saved instances; recovery or a restart sends them again.
                        LOG.error("{} call(s) could not be enqueued", batch.size(), e);
                    }
                }
            } finally {
                sending.set(false);
            }
        }
    }

    private List<OutboundCall> drain() {
        List<OutboundCall> batch = new ArrayList<>();
        for (OutboundCall c; batch.size() < MAX_BATCH && (c = waiting.poll()) != null; ) {
            batch.add(c);
        }
        return batch;
    }
}
