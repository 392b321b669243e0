package io.orrery.engine.internal;

import io.orrery.api.engine.OutboundCall;
import java.util.ArrayList;
import java.util.List;

/**
 * The calls made by a batch of events, held until the whole batch was applied and then sent together
 * ({@link EngineCore#send(CallOutbox)}). The results queue's consumer applies a claimed batch of results on several
 * lanes at once; each event sending its own calls would be one enqueue per event, where the batch's calls take one
 * per queue shard. The calls are pending in saved instances meanwhile, so a crash before they are sent is the crash
 * between save and dispatch that restore and member-loss recovery already repair.
 */
public final class CallOutbox {

    private final List<OutboundCall> calls = new ArrayList<>();

    /** Lanes add the calls of the events they saved. */
    synchronized void add(List<OutboundCall> made) {
        calls.addAll(made);
    }

    /** Everything added so far, and empty again. */
    synchronized List<OutboundCall> drain() {
        List<OutboundCall> out = List.copyOf(calls);
        calls.clear();
        return out;
    }
}
