package io.orrery.engine.internal.node;

import io.orrery.api.engine.OutboundCall;
import io.orrery.api.queue.ClaimRequest;
import io.orrery.api.queue.QueueMessage;
import io.orrery.api.queue.QueueService;
import io.orrery.engine.internal.queue.QueueCallPort;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches the calls the engines enqueue: a call id (in the message id) must always name the same call. Sending a
 * call again after a crash is fine (same rule, function, arguments); an id standing for a different call is the
 * reuse that lets a stale result settle the wrong call.
 */
final class CallLedger {

    private final Map<String, String> calls = new ConcurrentHashMap<>();
    final List<String> reused = new CopyOnWriteArrayList<>();
    /**
     * Claims the engines made on the results queues: a consumer that claims again is done with the batch it held
     * before, which lets a test wait for that without knowing how the consumer settles a batch.
     */
    final AtomicLong resultClaims = new AtomicLong();

    /** The queue service, with every enqueue of a function call recorded on the way. */
    QueueService watch(QueueService target) {
        return (QueueService) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {QueueService.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("enqueueAll")) {
                        @SuppressWarnings("unchecked")
                        List<QueueMessage> messages = (List<QueueMessage>) args[0];
                        messages.forEach(this::record);
                    } else if (method.getName().equals("enqueue")) {
                        record((QueueMessage) args[0]);
                    } else if (method.getName().equals("claim") && args[0] instanceof ClaimRequest r
                            && r.queues().stream().anyMatch(q -> q.name().equals(QueueCallPort.RESULTS))) {
                        resultClaims.incrementAndGet();
                    }
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private void record(QueueMessage m) {
        if (!m.queueId().name().equals(QueueCallPort.FUNCTIONS)) {
            return;
        }
        OutboundCall c;
        try {
            c = QueueCallPort.read(m.payload(), OutboundCall.class);
        } catch (RuntimeException e) {
            reused.add(m.id() + ": unreadable call " + e);
            return;
        }
        String what = c.rule() + " " + c.function() + " " + c.key() + " " + c.args();
        String before = calls.putIfAbsent(m.id(), what);
        if (before != null && !Objects.equals(before, what)) {
            reused.add(m.id() + ": was " + before + ", now " + what);
        }
    }

    int size() {
        return calls.size();
    }
}
