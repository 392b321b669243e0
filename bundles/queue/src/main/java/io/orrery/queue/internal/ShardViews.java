package io.orrery.queue.internal;

import io.orrery.queue.grid.ShardView;
import io.orrery.queue.grid.Slot;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What this member last learned about each shard, from the replies of its own operations and from other members'
 * wake-ups. Claimers use it to go to the shard with the most urgent head first and to skip shards known to be
 * empty, so an idle consumer costs no remote calls. A view that cannot be trusted (never seen, hinted by another
 * member, older than {@code staleNanos}, or with its next due time passed) is refreshed before a claim chooses
 * ({@link #toRefresh}): choosing among the trusted views alone would keep claiming from a known shard while a more
 * urgent message waits in one not looked at, inverting priority and starving that shard.
 */
final class ShardViews {

    private record Known(ShardView view, long seenAt, boolean hinted) {
    }

    private final ConcurrentHashMap<String, Known> known = new ConcurrentHashMap<>();
    private final long staleNanos;

    ShardViews(long staleNanos) {
        this.staleNanos = staleNanos;
    }

    /**
     * A reply's view of the shard, from a call that started at {@code startedNanos}. Replies of concurrent calls
     * may arrive out of order, so a view with a lower version is dropped, but only if the one known was learned
     * after this call started: a call that started later always tells the truth, even when the shard's version
     * went back (a new primary whose backup had not applied the last operations, a shard restored anew).
     */
    void update(String key, ShardView view, long startedNanos) {
        Known fresh = new Known(view, System.nanoTime(), false);
        known.merge(key, fresh, (old, neu) ->
                old.view.version() > neu.view.version() && old.seenAt >= startedNanos ? old : neu);
    }

    /**
     * Another member says the shard's head improved (it turned claimable, or a more urgent message heads it): the
     * view is refreshed before the next choice, which reads the new head's priority and due times.
     */
    void hint(String key) {
        known.computeIfPresent(key, (k, old) -> new Known(old.view, old.seenAt, true));
    }

    /** The shards among {@code keys} whose views must be refreshed before choosing among them. */
    List<String> toRefresh(List<String> keys, long nowMicros) {
        List<String> stale = null;
        long nowNanos = System.nanoTime();
        for (String key : keys) {
            if (!trusted(known.get(key), nowNanos, nowMicros)) {
                if (stale == null) {
                    stale = new ArrayList<>();
                }
                stale.add(key);
            }
        }
        return stale == null ? List.of() : stale;
    }

    private boolean trusted(Known k, long nowNanos, long nowMicros) {
        return k != null && !k.hinted && nowNanos - k.seenAt <= staleNanos && k.view.nextDue() > nowMicros;
    }

    /**
     * The shard to claim from next among {@code keys} (minus {@code skip}): the known-claimable one with the best
     * head, else a random untrusted one (its refresh failed), else null.
     */
    String next(List<String> keys, Set<String> skip, long nowMicros) {
        String best = null;
        ShardView bestView = null;
        List<String> probes = null;
        long nowNanos = System.nanoTime();
        for (String key : keys) {
            if (skip.contains(key)) {
                continue;
            }
            Known k = known.get(key);
            if (!trusted(k, nowNanos, nowMicros)) {
                if (probes == null) {
                    probes = new ArrayList<>();
                }
                probes.add(key);
            } else if (k.view.ready() > 0 && (bestView == null || k.view.compareHeads(bestView) < 0)) {
                best = key;
                bestView = k.view;
            }
        }
        if (best != null) {
            return best;
        }
        return probes == null ? null : probes.get(ThreadLocalRandom.current().nextInt(probes.size()));
    }

    /** Nanoseconds until the earliest known due time among {@code keys}, or {@code Long.MAX_VALUE}. */
    long nanosUntilDue(List<String> keys, long nowMicros) {
        long due = Slot.NONE;
        for (String key : keys) {
            Known k = known.get(key);
            if (k != null) {
                due = Math.min(due, k.view.nextDue());
            }
        }
        return due == Slot.NONE ? Long.MAX_VALUE : Math.max(0, (due - nowMicros) * 1000);
    }
}
