package io.orrery.engine.internal.node;

import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orrery.api.engine.WorkflowModule;
import io.orrery.api.function.OrreryFunction;
import io.orrery.api.queue.QueueSettings;
import io.orrery.api.store.Store;
import io.orrery.cluster.testing.LoopbackMembers;
import io.orrery.emirax.EmiraxCompiler;
import io.orrery.emirax.EmiraxSource;
import io.orrery.engine.internal.EngineSettings;
import io.orrery.engine.internal.TestWorker;
import io.orrery.queue.internal.QueueOptions;
import io.orrery.queue.internal.ShardedQueueService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Real engine nodes for tests: each a Hazelcast member on loopback (TCP-IP join among the cluster's ports,
 * multicast off, a cluster name of its own, quick failure detection, backup count 1), the real queue service,
 * an {@link EngineNode} and a {@link TestWorker} on its call port (the node's function worker, which lives outside
 * the engine). Leases are short so a lost member's claims come back quickly.
 */
final class TestCluster implements AutoCloseable {

    private final LoopbackMembers loopback;
    final List<HazelcastInstance> members = new ArrayList<>();
    final List<ShardedQueueService> queues = new ArrayList<>();
    final List<EngineNode> nodes = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Each node's worker, by the node's index; null entries when the cluster runs without workers. */
    private final List<TestWorker> workers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private boolean withWorkers = true;
    /** Every call enqueued on a function or results queue, by message id: what "no call id is reused" checks. */
    final CallLedger ledger;
    private final List<Map.Entry<String, WorkflowModule>> deployed = new ArrayList<>();
    private Store store;
    private boolean persistentQueues;
    private EngineNode.Options options;
    private Function<String, Optional<OrreryFunction>> functions;

    TestCluster(int size) {
        this(size, new CallLedger());
    }

    /** @param ledger shared with the cluster that ran on the same store before this one */
    TestCluster(int size, CallLedger ledger) {
        this.ledger = ledger;
        this.loopback = new LoopbackMembers("orrery-engine-test", size);
    }

    /** No worker on any node: calls stay on their queues for the test to answer. */
    TestCluster withoutWorkers() {
        withWorkers = false;
        return this;
    }

    /** Starts every member, then (once they formed one cluster) a queue service and an engine node on each. */
    TestCluster start(Store store, boolean persistentQueues, EngineNode.Options options, Function<String,
            Optional<OrreryFunction>> functions) {
        this.store = store;
        this.persistentQueues = persistentQueues;
        this.options = options;
        this.functions = functions;
        for (int i = 0; i < loopback.size(); i++) {
            members.add(loopback.start(i));
        }
        await().atMost(60, TimeUnit.SECONDS).until(() -> members.get(0).getCluster().getMembers().size() == loopback.size());
        for (HazelcastInstance m : members) {
            ShardedQueueService service = startQueues(m);
            queues.add(service);
            workers.add(null);
            nodes.add(startNode(nodes.size(), m, service));
        }
        return this;
    }

    private ShardedQueueService startQueues(HazelcastInstance m) {
        // shards sized to the cluster, as the node's configuration has them by default
        QueueOptions q = QueueOptions.DEFAULTS.withShards(QueueOptions.AUTO_SHARDS)
                .withDefaults(QueueSettings.DEFAULTS.withLeaseTime(Duration.ofSeconds(2)))
                .withPersistence(persistentQueues ? QueueOptions.Persistence.WRITE_BEHIND : QueueOptions.Persistence.NONE)
                .withFlushInterval(Duration.ofMillis(50));
        return ShardedQueueService.start(m, q, new SimpleMeterRegistry(), persistentQueues ? store : null);
    }

    /**
     * Starts member i again after {@link #terminate} (a process restarted on the same port), once the cluster is
     * whole and safe, then its queue service and engine node with the deployed workflows. Waiting for safety keeps
     * the next loss a single failure: a member lost while replicas still migrate is a second one, which one backup
     * cannot survive.
     */
    void revive(int i) {
        HazelcastInstance m = loopback.start(i); // on its old port, or a fresh one if that was taken meanwhile
        members.set(i, m);
        await().atMost(60, TimeUnit.SECONDS).until(() -> m.getCluster().getMembers().size() == loopback.size());
        awaitSafe();
        ShardedQueueService service = startQueues(m);
        queues.set(i, service);
        EngineNode fresh = startNode(i, m, service);
        deployed.forEach(d -> fresh.engine().deploy(d.getKey(), d.getValue()));
        nodes.set(i, fresh);
        halted.remove(i);
    }

    /** Waits until no partition migrates and every backup is in sync. */
    void awaitSafe() {
        await().atMost(60, TimeUnit.SECONDS).until(() -> members.stream()
                .filter(m -> m.getLifecycleService().isRunning()).findFirst()
                .map(m -> m.getPartitionService().isClusterSafe()).orElse(false));
    }

    private EngineNode startNode(int i, HazelcastInstance m, ShardedQueueService service) {
        EngineNode node = EngineNode.start(m, ledger.watch(service), store, new SimpleMeterRegistry(), options);
        workers.set(i, withWorkers ? TestWorker.on(node.callPort(), (tenant, fn) -> functions.apply(fn), 1, 16)
                : null);
        return node;
    }

    /** Node i's engine stops: its worker first, as the worker's component goes with the engine's port. */
    private void stopNode(int i, boolean halt) {
        TestWorker w = workers.get(i);
        if (w != null) {
            w.close();
        }
        if (halt) {
            nodes.get(i).halt();
        } else {
            nodes.get(i).close();
        }
    }

    static EngineNode.Options options() {
        return EngineNode.Options.defaults().withSettings(EngineSettings.defaults().withLanes(2))
                .withResults(1, 64).withFlushInterval(Duration.ofMillis(50));
    }

    void deployEverywhere(String tenant, WorkflowModule module) {
        deployed.add(Map.entry(tenant, module));
        for (int i = 0; i < nodes.size(); i++) {
            if (alive(i)) {
                nodes.get(i).engine().deploy(tenant, module);
            }
        }
    }

    /** Terminates member i without any shutdown (a crash), then stops its engine's threads. */
    void crash(int i) {
        members.get(i).getLifecycleService().terminate();
        stopNode(i, false);
        queues.get(i).close();
    }

    boolean alive(int i) {
        return members.get(i).getLifecycleService().isRunning() && !halted.contains(i);
    }

    private final java.util.Set<Integer> halted = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** The index of the member named {@code scope} (the scope of a crash point), or -1. */
    int indexOf(Object scope) {
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).getName().equals(scope)) {
                return i;
            }
        }
        return -1;
    }

    boolean allDead() {
        return halted.size() == members.size();
    }

    /** A live node other than those listed, for a client that retries elsewhere. */
    EngineNode anyAlive(int preferred) {
        for (int k = 0; k < nodes.size(); k++) {
            int i = (preferred + k) % nodes.size();
            if (alive(i)) {
                return nodes.get(i);
            }
        }
        throw new IllegalStateException("no live node");
    }

    /** Member i's process dies: its member vanishes without a goodbye, its engine stops writing anything. */
    void terminate(int i) {
        halted.add(i);
        members.get(i).getLifecycleService().terminate();
        stopNode(i, true);
        queues.get(i).close();
    }

    /** Every member dies at once: Hazelcast keeps nothing, the store keeps what the journals wrote. */
    void killAll() {
        for (int i = 0; i < members.size(); i++) {
            halted.add(i);
            members.get(i).getLifecycleService().terminate();
        }
        for (int i = 0; i < members.size(); i++) {
            stopNode(i, true);
            queues.get(i).close();
        }
    }

    /**
     * Node i's engine dies and comes back on the same member (the member's data stays, as its backups would keep
     * it): its threads stop at once, a new engine starts, has the deployed workflows again, and every node recovers
     * recent work as after a member's loss. The cheap crash of a randomised schedule.
     */
    void restartEngine(int i) {
        stopNode(i, true);
        EngineNode fresh = startNode(i, members.get(i), queues.get(i));
        deployed.forEach(d -> fresh.engine().deploy(d.getKey(), d.getValue()));
        nodes.set(i, fresh);
        long now = members.get(i).getCluster().getClusterTime();
        for (EngineNode n : nodes) {
            n.recovery().recover(now);
        }
    }

    static WorkflowModule compile(String text) {
        return new EmiraxCompiler().compile(List.of(new EmiraxSource("test.groovy", text)))
                .load(TestCluster.class.getClassLoader());
    }

    static OrreryFunction function(String name, Function<Map<String, Object>, Map<String, Object>> f) {
        return new OrreryFunction() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Map<String, Object> apply(Map<String, Object> args) {
                return f.apply(args);
            }
        };
    }

    @Override
    public void close() {
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).getLifecycleService().isRunning() && !halted.contains(i)) {
                stopNode(i, false);
                queues.get(i).close();
            }
        }
        members.forEach(m -> m.getLifecycleService().terminate());
    }
}
