package io.orrery.queue.internal;

import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orrery.api.store.Store;
import io.orrery.cluster.testing.LoopbackMembers;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A cluster of real members on loopback, each with its queue service, that a test can lose a member of, or kill
 * whole and start again on the same store. Members are found by name, which is the scope crash points are reached
 * with, so a crash action can terminate exactly the member whose code reached the point.
 */
final class FaultCluster implements AutoCloseable {

    private final int size;
    private final QueueOptions options;
    private final Supplier<Store> stores;
    private final List<HazelcastInstance> members = new ArrayList<>();
    private final List<ShardedQueueService> services = new ArrayList<>();
    private final List<Store> opened = new ArrayList<>();
    private LoopbackMembers ports;

    /**
     * @param stores opens the store a member uses (each call must reach the same database), or gives null for a
     *               member without one
     */
    FaultCluster(int size, QueueOptions options, Supplier<Store> stores) {
        this.size = size;
        this.options = options;
        this.stores = stores;
    }

    /** Starts every member (joined before any service starts), then their services. */
    FaultCluster start() {
        ports = QueueMembers.of(size);
        for (int i = 0; i < size; i++) {
            members.add(ports.start(i));
            services.add(null);
        }
        await().atMost(60, TimeUnit.SECONDS).until(() -> members.stream().allMatch(m ->
                m.getLifecycleService().isRunning() && m.getCluster().getMembers().size() == size));
        awaitSafe();
        for (int i = 0; i < size; i++) {
            services.set(i, startService(members.get(i)));
        }
        return this;
    }

    private ShardedQueueService startService(HazelcastInstance member) {
        Store store = stores.get();
        if (store != null) {
            opened.add(store);
        }
        return ShardedQueueService.start(member, options, new SimpleMeterRegistry(), store);
    }

    ShardedQueueService service(int i) {
        return services.get(i);
    }

    HazelcastInstance member(int i) {
        return members.get(i);
    }

    int size() {
        return size;
    }

    boolean alive(int i) {
        return members.get(i) != null && members.get(i).getLifecycleService().isRunning();
    }

    /** The index of a live member other than {@code not}. */
    int anotherAlive(int not) {
        for (int i = 0; i < size; i++) {
            if (i != not && alive(i)) {
                return i;
            }
        }
        throw new IllegalStateException("no live member left");
    }

    /** The index of the member with this name, or -1. */
    int indexOf(Object name) {
        for (int i = 0; i < size; i++) {
            if (members.get(i) != null && members.get(i).getName().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Terminates a member (no shutdown, no final flush), as a crash would. */
    void kill(int i) {
        HazelcastInstance m = members.get(i);
        if (m != null) {
            m.getLifecycleService().terminate();
            services.get(i).close();
        }
    }

    /** Starts a killed member again, and waits until the cluster is whole and safe again. */
    void revive(int i) {
        members.set(i, ports.start(i));
        await().atMost(60, TimeUnit.SECONDS).until(() -> members.get(i).getCluster().getMembers().size() == size);
        awaitSafe();
        services.set(i, startService(members.get(i)));
    }

    /**
     * Waits until no partition is migrating and every backup is in sync. A member joining (or one lost) moves
     * replicas around for a while; until that ends some partitions have a single up-to-date copy, so losing a
     * member then is a second failure within the time the first takes to heal, which one backup cannot survive
     * (Hazelcast reports such partitions as LOST). "One member lost" means lost from a whole, safe cluster.
     */
    void awaitSafe() {
        await().atMost(60, TimeUnit.SECONDS).until(() -> {
            for (int i = 0; i < size; i++) {
                if (alive(i)) {
                    return members.get(i).getPartitionService().isClusterSafe();
                }
            }
            return false;
        });
    }

    /** Every member terminated at the same moment (in parallel): what is not in the store is gone. */
    void killAll() {
        List<Thread> kills = new ArrayList<>();
        for (HazelcastInstance m : members) {
            if (m != null) {
                kills.add(new Thread(() -> m.getLifecycleService().terminate(), "crash"));
            }
        }
        kills.forEach(Thread::start);
        for (Thread t : kills) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        services.stream().filter(s -> s != null).forEach(ShardedQueueService::close);
        members.clear();
        services.clear();
        closeStores();
    }

    /** Kills every member and starts a new cluster on the same store. */
    FaultCluster restart() {
        killAll();
        return start();
    }

    /**
     * Writes every live member's journal. A member learns of a queue another member registered from an entry event,
     * which arrives asynchronously; until then it does not write for that queue's shards (its sweep a second later
     * would), so this first waits until every live member knows every registered queue.
     */
    void flushAll() throws SQLException {
        await("every member knows every queue").atMost(30, TimeUnit.SECONDS).until(this::everyQueueKnown);
        for (int i = 0; i < size; i++) {
            if (alive(i)) {
                services.get(i).flushJournal();
            }
        }
    }

    private boolean everyQueueKnown() {
        int live = anotherAlive(-1);
        Set<String> registered = members.get(live).<String, String>getMap(QueueRegistry.MAP).keySet();
        for (int i = 0; i < size; i++) {
            if (alive(i) && !services.get(i).queues().stream().map(Object::toString).collect(Collectors.toSet())
                    .containsAll(registered)) {
                return false;
            }
        }
        return true;
    }

    private void closeStores() {
        for (Store s : opened) {
            if (s instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    // closing a store of a dead cluster: nothing to keep
                }
            }
        }
        opened.clear();
    }

    @Override
    public void close() {
        killAll();
    }
}
