package io.orrery.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orrery.api.engine.InstanceRequest;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A deleted tenant's firing counters leave the node's registry with it, and a tenant created again under the same
 * name counts from nothing into meters the registry serves. The engine makes its meters in a composite of its own
 * that the node's registry joins (as {@code EngineComponent} does): a counter the composite kept after the node's
 * registry dropped it would go on counting where nothing reads it.
 */
class TenantFiringMetersTest {

    private final SimpleMeterRegistry node = new SimpleMeterRegistry();
    private final CompositeMeterRegistry meters = new CompositeMeterRegistry();
    private final EngineCore engine;

    TenantFiringMetersTest() {
        meters.add(node);
        engine = new EngineCore(EngineSettings.defaults().withLanes(0), new MemoryInstanceTable(),
                new MemoryCallPort(Clock.systemUTC()), meters, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void aDeletedTenantsFiringsLeaveTheRegistryAndARecreatedTenantCountsAfresh() {
        engine.deploy("acme", EngineCoreTest.module(EngineCoreTest.COUNTING));
        engine.deploy("beta", EngineCoreTest.module(EngineCoreTest.COUNTING));
        engine.submit(InstanceRequest.of("acme", "count", "k1", Map.of()));
        engine.submit(InstanceRequest.of("acme", "count", "k2", Map.of()));
        engine.submit(InstanceRequest.of("beta", "count", "b1", Map.of()));
        assertThat(firings("acme")).isEqualTo(2);

        engine.deleteTenant("acme");

        assertThat(metersOf("acme")).isEmpty();
        assertThat(meters.getMeters()).as("nor in the engine's own composite")
                .noneMatch(m -> "acme".equals(m.getId().getTag("tenant")));
        assertThat(firings("beta")).as("another tenant keeps its meters").isEqualTo(1);

        engine.deploy("acme", EngineCoreTest.module(EngineCoreTest.COUNTING));
        engine.submit(InstanceRequest.of("acme", "count", "k1", Map.of()));
        assertThat(firings("acme")).as("the new acme's firings, none of the old one's").isEqualTo(1);
    }

    @Test
    void onANodeThatOnlyUndeploysTheTenantsWorkflowsItsFiringsGoWithThem() {
        engine.deploy("acme", EngineCoreTest.module(EngineCoreTest.COUNTING));
        engine.submit(InstanceRequest.of("acme", "count", "k1", Map.of()));
        // The deleting node's gateway has told this node's registry to drop the tenant's meters, in any order
        // with the catalog undeploying the tenant's bundles here.
        node.getMeters().stream().filter(m -> "acme".equals(m.getId().getTag("tenant"))).toList()
                .forEach(node::remove);

        engine.undeploy("acme", List.of("count"));

        assertThat(meters.getMeters()).noneMatch(m -> "acme".equals(m.getId().getTag("tenant")));
        engine.deploy("acme", EngineCoreTest.module(EngineCoreTest.COUNTING));
        engine.submit(InstanceRequest.of("acme", "count", "k9", Map.of()));
        assertThat(firings("acme")).as("served by the node's registry again").isEqualTo(1);
    }

    private List<Meter> metersOf(String tenant) {
        return node.getMeters().stream().filter(m -> tenant.equals(m.getId().getTag("tenant"))).toList();
    }

    private double firings(String tenant) {
        return node.find("orrery.engine.firings").tag("tenant", tenant).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }
}
