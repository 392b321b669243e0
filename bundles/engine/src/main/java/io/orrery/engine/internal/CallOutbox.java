package io.orrery.engine.internal;

import io.orrery.api.engine.OutboundCall;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The calls made by a batch of events, held until the whole batch was applied and then sent together
 * ({@link EngineCore#send(CallOutbox)}). The results queue's consumer applies a claimed batch of results on several
 * lanes at once; each event sending its own calls would be one enqueue per event, where the batch's calls take one
 * per queue shard. The calls are pending in saved instances meanwhile, so a crash before they are sent is the crash
 * between save and dispatch that restore and member-loss recovery already repair.
 *
 * <p>It also gathers when the batch's saves reach the store ({@link #written}): the results that caused them may
 * leave their queue only then, or a crash of every member keeps the acknowledgement and loses the save.
 */
public final class CallOutbox {

    private final List<OutboundCall> calls = new ArrayList<>();
    private final List<CompletableFuture<Void>> saves = new ArrayList<>();

    /** Lanes add the calls of the events they saved. */
    synchronized void add(List<OutboundCall> made) {
        calls.addAll(made);
    }

    /** Lanes add when the record holding an event they applied is durable ({@link InstanceTable#whenDurable}). */
    synchronized void saved(CompletableFuture<Void> durable) {
        if (!durable.isDone()) {
            saves.add(durable);
        }
    }

    /** Everything added so far, and empty again. */
    synchronized List<OutboundCall> drain() {
        List<OutboundCall> out = List.copyOf(calls);
        calls.clear();
        return out;
    }

    /** Completes once every save added so far is in the store: at once without a store behind the instances. */
    public synchronized CompletableFuture<Void> written() {
        return saves.isEmpty() ? CompletableFuture.completedFuture(null)
                : CompletableFuture.allOf(saves.toArray(CompletableFuture[]::new));
    }
}
