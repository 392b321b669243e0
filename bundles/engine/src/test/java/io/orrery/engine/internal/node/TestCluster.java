package io.orrery.engine.internal.node;

import static org.awaitility.Awaitility.await;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import io.orrery.cluster.ClusterMembers;
import io.orrery.cluster.MemberSettings;
import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orrery.api.engine.WorkflowModule;
import io.orrery.api.function.OrreryFunction;
import io.orrery.api.queue.QueueSettings;
import io.orrery.api.store.Store;
import io.orrery.emirax.EmiraxCompiler;
import io.orrery.emirax.EmiraxSource;
import io.orrery.engine.internal.EngineSettings;
import io.orrery.queue.internal.QueueOptions;
import io.orrery.queue.internal.ShardedQueueService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Real engine nodes for tests: each a Hazelcast member on loopback (TCP-IP join among the cluster's ports,
 * multicast off, a cluster name of its own, quick failure detection, backup count 1), the real queue service and
 * an {@link EngineNode}. Leases are short so a lost member's claims come back quickly.
 */
final class TestCluster implements AutoCloseable {

    final String name = "orrery-engine-test-" + UUID.randomUUID();
    private final List<Integer> ports = new ArrayList<>();
    final List<HazelcastInstance> members = new ArrayList<>();
    final List<ShardedQueueService> queues = new ArrayList<>();
    final List<EngineNode> nodes = new ArrayList<>();

    TestCluster(int size) {
        for (int i = 0; i < size; i++) {
            ports.add(freePort());
        }
    }

    /** Starts every member, then (once they formed one cluster) a queue service and an engine node on each. */
    TestCluster start(Store store, boolean persistentQueues, EngineNode.Options options, Function<String,
            Optional<OrreryFunction>> functions) {
        for (int i = 0; i < ports.size(); i++) {
            members.add(member(i));
        }
        await().atMost(60, TimeUnit.SECONDS).until(() -> members.get(0).getCluster().getMembers().size() == ports.size());
        QueueOptions q = QueueOptions.DEFAULTS.withDefaults(QueueSettings.DEFAULTS.withLeaseTime(Duration.ofSeconds(2)))
                .withPersistence(persistentQueues ? QueueOptions.Persistence.WRITE_BEHIND : QueueOptions.Persistence.NONE)
                .withFlushInterval(Duration.ofMillis(50));
        for (HazelcastInstance m : members) {
            ShardedQueueService service = ShardedQueueService.start(m, q, new SimpleMeterRegistry(),
                    persistentQueues ? store : null);
            queues.add(service);
            nodes.add(EngineNode.start(m, service, store, new SimpleMeterRegistry(), options,
                    (tenant, fn) -> functions.apply(fn)));
        }
        return this;
    }

    static EngineNode.Options options() {
        return EngineNode.Options.defaults().withSettings(EngineSettings.defaults().withLanes(2))
                .withWorkers(1, 16).withResults(1, 64).withFlushInterval(Duration.ofMillis(50));
    }

    void deployEverywhere(String tenant, WorkflowModule module) {
        nodes.forEach(n -> n.engine().deploy(tenant, module));
    }

    /** Terminates member i without any shutdown (a crash), then stops its engine's threads. */
    void crash(int i) {
        members.get(i).getLifecycleService().terminate();
        nodes.get(i).close();
        queues.get(i).close();
    }

    private HazelcastInstance member(int index) {
        MemberSettings settings = new MemberSettings(name, ports.get(index),
                ports.stream().map(p -> "127.0.0.1:" + p).toList(), "127.0.0.1", 1, 0);
        // The product's member configuration, with failure detection and partitioning shrunk for test speed.
        Config c = ClusterMembers.config(settings, getClass().getClassLoader());
        c.setInstanceName(name + "-" + index);
        c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        c.setProperty("hazelcast.max.no.heartbeat.seconds", "6");
        c.setProperty("hazelcast.partition.count", "71");
        return Hazelcast.newHazelcastInstance(c);
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
            if (members.get(i).getLifecycleService().isRunning()) {
                nodes.get(i).close();
                queues.get(i).close();
            }
        }
        members.forEach(m -> m.getLifecycleService().terminate());
    }
}
