package io.orrery.queue.internal;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.orrery.api.queue.QueueId;
import io.orrery.api.queue.QueueSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/**
 * The cluster's list of queues and their settings, in a small replicated map ({@value #MAP}); every member keeps
 * a local copy current through an entry listener, so routing a message or resolving a wildcard claim costs no
 * remote call. A queue is registered by its first enqueue (or configuration).
 */
final class QueueRegistry implements AutoCloseable {

    static final String MAP = "orrery.queue.registry";

    /** Hazelcast's default partition-operation threads per member (its own formula; the node does not change it). */
    private static final int PARTITION_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

    private final HazelcastInstance hz;
    private final IMap<String, String> map;
    private final QueueOptions options;
    private final ConcurrentMap<QueueId, QueueRoute> known = new ConcurrentHashMap<>();
    private final Consumer<QueueRoute> onCreated;
    private final Consumer<QueueRoute> onKnown;
    private final UUID listener;
    /** Orders the writes of {@link #known} with the map reads or writes they follow (see {@link Listener}). */
    private final Object learning = new Object();

    /**
     * @param onCreated called (on the creating member only) for a queue this member registered or reconfigured
     * @param onKnown   called on every member the first time it learns of a queue
     */
    QueueRegistry(HazelcastInstance hz, QueueOptions options, Consumer<QueueRoute> onCreated,
                  Consumer<QueueRoute> onKnown) {
        this.hz = hz;
        this.map = hz.getMap(MAP);
        this.options = options;
        this.onCreated = onCreated;
        this.onKnown = onKnown;
        this.listener = map.addEntryListener(new Listener(), true);
        synchronized (learning) {
            map.forEach((k, v) -> learn(QueueId.parse(k), v));
        }
    }

    /** The queue's route, registering the queue with the default settings if it is new. */
    QueueRoute ensure(QueueId queue) {
        QueueRoute route = known.get(queue);
        if (route != null) {
            return route;
        }
        QueueRoute fresh = QueueRoute.of(queue, options.shardsFor(hz.getCluster().getMembers().size(),
                PARTITION_THREADS), options.defaults(), options);
        synchronized (learning) {
            String previous = map.putIfAbsent(queue.toString(), fresh.encode());
            if (previous != null) {
                return learn(queue, previous);
            }
        }
        onCreated.accept(fresh);
        synchronized (learning) {
            // the registration's own event may have been handled meanwhile, and read a later configuration
            QueueRoute learnt = known.get(queue);
            return learnt != null ? learnt : learn(queue, fresh.encode());
        }
    }

    Optional<QueueRoute> find(QueueId queue) {
        QueueRoute route = known.get(queue);
        if (route == null) {
            synchronized (learning) {
                String text = map.get(queue.toString());
                route = text == null ? null : learn(queue, text);
            }
        }
        return Optional.ofNullable(route);
    }

    /** The existing queues a claim names, wildcard tenants expanded. */
    List<QueueRoute> resolve(List<QueueId> requested) {
        List<QueueRoute> routes = new ArrayList<>();
        for (QueueId q : requested) {
            if (q.isAnyTenant()) {
                known.values().stream().filter(r -> q.matches(r.id()) && !routes.contains(r)).sorted(
                        java.util.Comparator.comparing(QueueRoute::id)).forEach(routes::add);
            } else {
                find(q).filter(r -> !routes.contains(r)).ifPresent(routes::add);
            }
        }
        return routes;
    }

    QueueRoute configure(QueueId queue, QueueSettings settings) {
        QueueRoute current = ensure(queue);
        QueueRoute updated = QueueRoute.of(queue, current.shards(), settings, options);
        synchronized (learning) {
            map.put(queue.toString(), updated.encode());
            known.put(queue, updated);
        }
        onCreated.accept(updated);
        return updated;
    }

    /** Registers a queue read back from the store (full-cluster restart), keeping its shard count. */
    QueueRoute restore(QueueRoute route) {
        synchronized (learning) {
            map.putIfAbsent(route.id().toString(), route.encode());
            return learn(route.id(), map.get(route.id().toString()));
        }
    }

    List<QueueRoute> all() {
        return known.values().stream().sorted(java.util.Comparator.comparing(QueueRoute::id)).toList();
    }

    private QueueRoute learn(QueueId queue, String text) {
        QueueRoute route = QueueRoute.decode(queue, text, options);
        QueueRoute before = known.put(queue, route);
        if (before == null) {
            onKnown.accept(route);
        }
        return route;
    }

    @Override
    public void close() {
        map.removeEntryListener(listener);
    }

    /**
     * Events arrive asynchronously and may be overtaken by a later change (a queue registered with the defaults and
     * configured at once: the "added" event can come after {@link #configure} stored the new settings), so the
     * event only says which queue changed; its settings are read from the map, which holds the latest. The read and
     * the local copy's update are one step under {@code learning}, as every other write of the copy is: a read of the
     * defaults made just before a configuration could otherwise land in the copy just after it.
     */
    private final class Listener implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String> {
        @Override
        public void entryAdded(EntryEvent<String, String> e) {
            relearn(e.getKey());
        }

        @Override
        public void entryUpdated(EntryEvent<String, String> e) {
            relearn(e.getKey());
        }

        private void relearn(String key) {
            synchronized (learning) {
                String latest = map.get(key);
                if (latest != null) {
                    learn(QueueId.parse(key), latest);
                }
            }
        }
    }
}
