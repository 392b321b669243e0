package io.orrery.engine.internal.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Futures waiting for saves to reach the store, by instance id and revision ({@link InstanceJournal#whenWritten}).
 * Not thread-safe: the journal calls it under its own lock.
 */
final class DurableWaits {

    private record Wait(long revision, CompletableFuture<Void> done) {
    }

    private final Map<String, List<Wait>> byId = new HashMap<>();

    CompletableFuture<Void> add(String id, long revision) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        byId.computeIfAbsent(id, k -> new ArrayList<>(1)).add(new Wait(revision, done));
        return done;
    }

    /** Revision {@code revision} of the instance is committed: completes what waited for it or an earlier one. */
    void written(String id, long revision) {
        List<Wait> waiting = byId.get(id);
        if (waiting == null) {
            return;
        }
        waiting.removeIf(w -> {
            if (w.revision() > revision) {
                return false;
            }
            w.done().complete(null);
            return true;
        });
        if (waiting.isEmpty()) {
            byId.remove(id);
        }
    }

    /** The saves of these instances will never be written (a deleted tenant's): nobody waits for them any more. */
    void dropPrefix(String idPrefix) {
        byId.entrySet().removeIf(e -> {
            if (e.getKey().startsWith(idPrefix)) {
                e.getValue().forEach(w -> w.done().complete(null));
                return true;
            }
            return false;
        });
    }
}
