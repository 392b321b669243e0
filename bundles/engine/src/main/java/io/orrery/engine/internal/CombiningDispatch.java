package io.orrery.engine.internal;

import io.orrery.api.engine.OutboundCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the calls of many events in few enqueues (flat combining): a lane with calls to send adds them to a shared
 * list; if no other lane is sending, it sends everything listed, over and over until the list is empty, otherwise
 * it goes on at once and the sending lane takes its calls along. Under load one enqueue carries the calls of
 * several events; alone, a lane sends its own calls straight away.
 *
 * <p>A batch the queue refused (a member gone mid-call, a minority side) is sent again after a growing pause until
 * it goes through: the calls are pending in saved instances and nothing else would send them before a restart.
 * Sending twice is harmless, the queue refuses a message id it holds.
 */
final class CombiningDispatch {

    private static final Logger LOG = LoggerFactory.getLogger(CombiningDispatch.class);
    private static final int MAX_BATCH = 512;

    private final CallDispatch target;
    private final LaterAttempts later;
    private final ConcurrentLinkedQueue<OutboundCall> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final AtomicInteger failures = new AtomicInteger();

    CombiningDispatch(CallDispatch target, LaterAttempts later) {
        this.target = target;
        this.later = later;
    }

    void send(List<OutboundCall> calls) {
        waiting.addAll(calls);
        while (!waiting.isEmpty() && sending.compareAndSet(false, true)) {
            try {
                for (List<OutboundCall> batch; !(batch = drain()).isEmpty(); ) {
                    if (!sendOrRetryLater(batch)) {
                        break;
                    }
                }
            } finally {
                sending.set(false);
            }
        }
    }

    private boolean sendOrRetryLater(List<OutboundCall> batch) {
        try {
            target.dispatch(batch);
            failures.set(0);
            return true;
        } catch (RuntimeException e) {
            int n = failures.incrementAndGet();
            Duration pause = later.after(n, () -> send(batch));
            LOG.warn("{} call(s) could not be enqueued (failure {} in a row); trying again in {} ms: {}",
                    batch.size(), n, pause.toMillis(), e.toString());
            return false;
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
