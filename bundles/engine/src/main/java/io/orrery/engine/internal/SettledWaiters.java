package io.orrery.engine.internal;

import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceStatus;
import io.orrery.api.engine.InstanceView;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Callers long-polling an instance on this node, answered by the save that settles it (or by their timeout). */
final class SettledWaiters {

    private final Map<InstanceId, List<CompletableFuture<InstanceView>>> awaiting = new ConcurrentHashMap<>();
    private final InstanceTable table;
    private final Function<InstanceRecord, InstanceView> views;

    SettledWaiters(InstanceTable table, Function<InstanceRecord, InstanceView> views) {
        this.table = table;
        this.views = views;
    }

    CompletableFuture<InstanceView> await(InstanceId id, Duration timeout) {
        var future = new CompletableFuture<InstanceView>();
        awaiting.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(future);
        InstanceRecord now = table.load(id);
        if (now != null && settled(now)) {
            future.complete(views.apply(now));
        }
        return future.completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS).thenApply(v -> {
            // The list is gone when a save already completed and removed the waiters.
            List<CompletableFuture<InstanceView>> waiting = awaiting.get(id);
            if (waiting != null) {
                waiting.remove(future);
            }
            if (v != null) {
                return v;
            }
            InstanceRecord last = table.load(id);
            return last == null ? null : views.apply(last);
        });
    }

    /** A save of the record: answers its waiters if it settled the instance. */
    void saved(InstanceRecord rec) {
        if (settled(rec)) {
            List<CompletableFuture<InstanceView>> waiting = awaiting.remove(rec.id());
            if (waiting != null) {
                InstanceView v = views.apply(rec);
                waiting.forEach(f -> f.complete(v));
            }
        }
    }

    static boolean settled(InstanceRecord rec) {
        return rec.status == InstanceStatus.FAILED || rec.status == InstanceStatus.IDLE && rec.output != null;
    }
}
