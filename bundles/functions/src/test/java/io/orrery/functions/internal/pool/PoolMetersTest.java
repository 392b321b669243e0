package io.orrery.functions.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orrery.api.function.CallAdmission;
import io.orrery.api.function.CallTicket;
import io.orrery.api.function.ErrorClass;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoolMetersTest {

    final MeterRegistry registry = new SimpleMeterRegistry();
    final PoolMeters meters = new PoolMeters(registry);
    final PoolTree tree = new PoolTree(PoolPlan.parse(Map.of("pool.root.max", "3", "pool.acme.parent", "root",
            "pool.acme.reserved", "2", "pool.beta.parent", "root", "tenant.acme", "acme", "tenant.beta", "beta")),
            meters);
    final List<CallAdmission.Slot> slots = new ArrayList<>();

    double gauge(String name, String pool) {
        return registry.get(name).tag("pool", pool).gauge().value();
    }

    @Test
    void batchSizesAreRecordedAndEveryCallOfABatchCountsAsAnInvocation() {
        tree.request(new CallTicket("acme", "stamp", 5, null, 16), slot -> slot.release(null));
        tree.request(new CallTicket("acme", "stamp", 5, null, 4), slot -> slot.release(null));
        tree.request(new CallTicket("acme", "stamp", 5, null), slot -> slot.release(null));

        var sizes = registry.get("orrery.function.batch.size").tags("tenant", "acme", "function", "stamp")
                .summary();
        assertThat(sizes.count()).isEqualTo(3);
        assertThat(sizes.totalAmount()).isEqualTo(21);
        assertThat(sizes.max()).isEqualTo(16);
        assertThat(registry.get("orrery.function.invocations").tags("tenant", "acme", "function", "stamp")
                .counter().count()).isEqualTo(21);
    }

    @Test
    void functionsAreMeasuredPerTenantFunctionAndPoolWithFailuresByClass() {
        meters.watch(tree);
        for (ErrorClass outcome : new ErrorClass[] {null, ErrorClass.USER, ErrorClass.TIMEOUT, ErrorClass.USER}) {
            tree.request(new CallTicket("acme", "media.encode", 5, Instant.now().minusSeconds(2)),
                    slot -> slot.release(outcome));
        }
        assertThat(registry.get("orrery.function.invocations").tags("tenant", "acme", "function", "media.encode",
                "pool", "acme").counter().count()).isEqualTo(4);
        assertThat(registry.get("orrery.function.failures").tags("tenant", "acme", "class", "user").counter()
                .count()).isEqualTo(2);
        assertThat(registry.get("orrery.function.failures").tags("tenant", "acme", "class", "timeout").counter()
                .count()).isEqualTo(1);
        assertThat(registry.find("orrery.function.failures").tag("class", "platform").counter()).isNull();
        assertThat(registry.get("orrery.function.latency").tag("function", "media.encode").timer().count())
                .isEqualTo(4);
        assertThat(registry.get("orrery.function.queue.wait").tag("tenant", "acme").timer().mean(
                java.util.concurrent.TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(2000);
        assertThat(registry.get("orrery.pool.admission.wait").tag("pool", "acme").timer().count()).isEqualTo(4);
    }

    @Test
    void poolGaugesShowSlotsInUseLentAndWaitingAndFollowAChangedTree() {
        meters.watch(tree);
        for (int i = 0; i < 4; i++) {
            tree.request(new CallTicket("beta", "f", 5, null), slots::add);
        }
        assertThat(gauge("orrery.pool.slots.in.use", "beta")).isEqualTo(3);
        assertThat(gauge("orrery.pool.slots.lent", "acme")).isEqualTo(2);
        assertThat(gauge("orrery.pool.waiting", "beta")).isEqualTo(1);
        assertThat(gauge("orrery.pool.slots.in.use", "root")).isEqualTo(3);

        tree.reconfigure(PoolPlan.parse(Map.of("pool.root.max", "4", "pool.beta.parent", "root",
                "tenant.beta", "beta")));
        meters.watch(tree);
        assertThat(registry.find("orrery.pool.slots.lent").tag("pool", "acme").gauge()).isNull();
        assertThat(gauge("orrery.pool.slots.in.use", "beta")).isEqualTo(4);
        assertThat(gauge("orrery.pool.waiting", "beta")).isZero();
    }

    @Test
    void aTenantsMetersGoWhenItEndsHereAndAfterwardsCountAfreshInTheNodesRegistry() {
        // As PoolsComponent makes them: in a composite of its own, which the node's registry joins.
        SimpleMeterRegistry node = new SimpleMeterRegistry();
        CompositeMeterRegistry composite = new CompositeMeterRegistry();
        composite.add(node);
        PoolMeters meters = new PoolMeters(composite);
        PoolTree tree = new PoolTree(PoolPlan.parse(Map.of("pool.root.max", "3")), meters);
        meters.watch(tree);
        tree.request(new CallTicket("acme", "stamp", 5, Instant.now()), slot -> slot.release(ErrorClass.USER));
        tree.request(new CallTicket("beta", "stamp", 5, null), slot -> slot.release(null));
        // The gateway deleting the tenant may have dropped them from this node's registry already.
        node.getMeters().stream().filter(m -> "acme".equals(m.getId().getTag("tenant"))).toList()
                .forEach(node::remove);

        assertThat(meters.forget("acme")).isPositive();

        assertThat(composite.getMeters()).noneMatch(m -> "acme".equals(m.getId().getTag("tenant")));
        assertThat(node.getMeters()).noneMatch(m -> "acme".equals(m.getId().getTag("tenant")));
        assertThat(node.get("orrery.pool.slots.in.use").tag("pool", "root").gauge()).as("the pools' own stay")
                .isNotNull();
        tree.request(new CallTicket("acme", "stamp", 5, null), slot -> slot.release(null));
        assertThat(node.get("orrery.function.invocations").tags("tenant", "acme", "function", "stamp").counter()
                .count()).as("a tenant of the same name, counted afresh where /metrics reads").isEqualTo(1);
        assertThat(node.find("orrery.function.failures").tag("tenant", "acme").counter()).isNull();
        assertThat(node.get("orrery.function.invocations").tag("tenant", "beta").counter().count()).isEqualTo(1);
    }
}
