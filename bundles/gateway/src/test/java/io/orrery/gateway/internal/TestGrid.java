package io.orrery.gateway.internal;

import com.hazelcast.core.HazelcastInstance;
import io.orrery.cluster.testing.LoopbackMembers;
import io.orrery.gateway.internal.http.ClusterBuckets;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * Real Hazelcast members on loopback for the gateway's tests, configured as a node configures its own (a unique
 * cluster name, TCP-IP join on 127.0.0.1 only, a free port, another one when that was taken meanwhile: see
 * {@link LoopbackMembers}). {@link #shared()} is one member for the whole test
 * run; tests that need several gateways of one cluster start their own with {@link #cluster}.
 */
public final class TestGrid {

    private static HazelcastInstance shared;

    private TestGrid() {
    }

    /** One member for every test that only needs a grid; it goes down with the JVM. */
    public static synchronized HazelcastInstance shared() {
        if (shared == null) {
            shared = cluster(1).get(0);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> shared.getLifecycleService().terminate()));
        }
        return shared;
    }

    /** Buckets of their own (a fresh map) on the shared member. */
    public static ClusterBuckets freshBuckets(Clock clock) {
        return new ClusterBuckets(shared().getMap("buckets-" + UUID.randomUUID()), clock);
    }

    /** Instance counts of their own (a fresh map) on the shared member. */
    public static io.orrery.gateway.internal.instance.InstanceCounts freshInstanceCounts() {
        return new io.orrery.gateway.internal.instance.InstanceCounts(shared().getMap("counts-" + UUID.randomUUID()));
    }

    /** Starts {@code size} members of a new cluster and waits until they see each other. The caller stops them. */
    public static List<HazelcastInstance> cluster(int size) {
        LoopbackMembers members = new LoopbackMembers("orrery-gateway-test", size);
        List<HazelcastInstance> started = IntStream.range(0, size).mapToObj(members::start).toList();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .until(() -> started.stream().allMatch(m -> m.getCluster().getMembers().size() == size));
        return started;
    }
}
