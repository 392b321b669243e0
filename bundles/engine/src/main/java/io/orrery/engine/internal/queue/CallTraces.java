package io.orrery.engine.internal.queue;

import io.orrery.api.trace.TraceContext;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The queue wait of each call a worker of this node holds, by the call's message id, until its result is sent: the
 * result's message carries it, so the engine's reaction nests under the call. Bounded: a call whose claim was lost
 * without a result (the node stopping) must not stay for ever; past the bound an arbitrary entry goes, and its
 * result starts a trace of its own.
 */
final class CallTraces {

    private final Map<String, TraceContext> waits = new ConcurrentHashMap<>();
    private final int most;

    CallTraces(int most) {
        this.most = most;
    }

    void held(String messageId, TraceContext wait) {
        if (wait == null) {
            return;
        }
        waits.put(messageId, wait);
        if (waits.size() > most) {
            Iterator<String> any = waits.keySet().iterator();
            if (any.hasNext()) {
                waits.remove(any.next());
            }
        }
    }

    /** The call's wait, forgotten; null when it was never held (untraced, or claimed by another node). */
    TraceContext settled(String messageId) {
        return waits.remove(messageId);
    }

    TraceContext of(String messageId) {
        return waits.get(messageId);
    }

    int size() {
        return waits.size();
    }
}
