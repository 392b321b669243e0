package io.orrery.functions.internal.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A tenant's warm-capacity meters end with its hosts on this node (its last bundle undeployed, as when it is
 * deleted): its gauges stop reading its host counts, and a tenant deploying again under the same name gets gauges
 * that read its own.
 */
class WarmMetersTest {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final WarmMeters meters = new WarmMeters(() -> registry);

    @Test
    void aTenantsMetersGoWithItsHostsAndComeBackFreshWithNewOnes() {
        meters.hosts("acme", 3, 2);
        meters.warmHit("acme", "media.encode");
        meters.coldStart("acme", "media.encode", 1_000_000);
        meters.hosts("beta", 1, 1);

        meters.ended("acme");

        assertThat(metersOf("acme")).isEmpty();
        assertThat(registry.get("orrery.function.hosts.running").tag("tenant", "beta").gauge().value()).isEqualTo(1);

        meters.hosts("acme", 1, 1);
        meters.warmHit("acme", "media.encode");
        assertThat(registry.get("orrery.function.hosts.running").tag("tenant", "acme").gauge().value())
                .as("the new hosts' count, read from a gauge made anew").isEqualTo(1);
        assertThat(registry.get("orrery.function.hosts.target").tag("tenant", "acme").gauge().value()).isEqualTo(1);
        assertThat(registry.get("orrery.function.warm.hits").tag("tenant", "acme").counter().count()).isEqualTo(1);
        assertThat(registry.find("orrery.function.cold.starts").tag("tenant", "acme").counter()).isNull();
    }

    private List<Meter> metersOf(String tenant) {
        return registry.getMeters().stream().filter(m -> tenant.equals(m.getId().getTag("tenant"))).toList();
    }
}
