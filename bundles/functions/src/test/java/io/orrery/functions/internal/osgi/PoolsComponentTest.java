package io.orrery.functions.internal.osgi;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orrery.api.function.CallAdmission;
import io.orrery.api.function.CallTicket;
import io.orrery.api.function.OrreryFunction;
import io.orrery.api.function.PoolView;
import io.orrery.functions.internal.pool.PoolPlan;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;

/** The component as Config Admin drives it: activated with the file, then modified, never restarted. */
class PoolsComponentTest {

    final List<CallAdmission.Slot> running = new ArrayList<>();

    void submit(PoolsComponent pools, String tenant) {
        pools.request(new CallTicket(tenant, "f", 5, null), running::add);
    }

    static PoolView view(PoolsComponent pools, String name) {
        return pools.pools().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aChangedFileAppliesToTheRunningPoolsAndABadOneLeavesThemAsTheyWere() {
        PoolsComponent pools = new PoolsComponent();
        pools.activate(Map.of("pool.root.max", "2", "service.pid", PoolsComponent.PID));
        for (int i = 0; i < 4; i++) {
            submit(pools, "acme");
        }
        assertThat(running).hasSize(2);

        pools.modified(Map.of("pool.root.max", "3", "pool.acme.parent", "root", "pool.acme.reserved", "1",
                "tenant.acme", "acme"));
        assertThat(running).hasSize(3); // a waiting call started without a restart
        assertThat(view(pools, "acme").reserved()).isEqualTo(1);

        Map<String, Object> bad = new HashMap<>(Map.of("pool.root.max", "8", "pool.acme.parent", "root",
                "pool.acme.reserved", "9", "tenant.acme", "acme"));
        pools.modified(bad);
        assertThat(view(pools, "root").max()).isEqualTo(3); // refused: the previous tree stays
        assertThat(view(pools, "acme").reserved()).isEqualTo(1);
        assertThat(running).hasSize(3);
        running.remove(0).release(null);
        assertThat(running).hasSize(3); // the last waiting call took the freed slot
        assertThat(pools.room()).isEqualTo(6);
    }

    @Test
    void aBadFileAtStartLeavesTheDefaultPool() {
        PoolsComponent pools = new PoolsComponent();
        pools.activate(Map.of("pool.root.max", "lots"));
        assertThat(pools.pools()).containsExactly(new PoolView("root", null, 0, 4, 0, 0, 0));
    }

    @Test
    void theShippedFileChecksOut() throws IOException {
        Properties p = new Properties();
        Path file = Path.of("..", "..", "karaf-distribution", "src", "main", "resources", "etc", "io.orrery.pools.cfg");
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        Map<String, Object> props = new HashMap<>();
        p.forEach((k, v) -> props.put((String) k, v));
        PoolPlan plan = PoolPlan.parse(props);
        assertThat(plan.pools()).isNotEmpty();
    }

    @Test
    void whenATenantsLastFunctionIsWithdrawnTheMetersOfItsCallsLeaveTheNodesRegistry() {
        SimpleMeterRegistry node = new SimpleMeterRegistry();
        PoolsComponent pools = new PoolsComponent();
        pools.bindMeters(node);
        pools.activate(Map.of("pool.root.max", "4"));
        var encode = hosted("acme", "media.encode");
        var stamp = hosted("acme", "media.stamp");
        var greet = hosted("beta", "greet");
        List.of(encode, stamp, greet).forEach(f -> pools.addFunction(f.getKey(), f.getValue()));
        for (String tenant : List.of("acme", "beta")) {
            pools.request(new CallTicket(tenant, "f", 5, null), slot -> slot.release(null));
        }

        pools.removeFunction(encode.getKey(), encode.getValue());
        assertThat(node.find("orrery.function.invocations").tag("tenant", "acme").counter())
                .as("the tenant still has a function here").isNotNull();
        pools.removeFunction(stamp.getKey(), stamp.getValue());

        assertThat(node.getMeters()).noneMatch(m -> "acme".equals(m.getId().getTag("tenant")));
        assertThat(node.find("orrery.function.invocations").tag("tenant", "beta").counter()).isNotNull();
    }

    /** A function a tenant's host serves, as {@link FunctionServices} publishes it. */
    private static Map.Entry<ServiceReference<OrreryFunction>, OrreryFunction> hosted(String tenant, String name) {
        Map<String, Object> properties = Map.of(FunctionServices.TENANT, tenant, FunctionServices.HOSTED, true);
        @SuppressWarnings("unchecked")
        ServiceReference<OrreryFunction> ref = (ServiceReference<OrreryFunction>) Proxy.newProxyInstance(
                PoolsComponentTest.class.getClassLoader(), new Class<?>[] {ServiceReference.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> properties.get((String) args[0]);
                    case "getBundle" -> null;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        OrreryFunction function = new OrreryFunction() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Map<String, Object> apply(Map<String, Object> args) {
                return args;
            }
        };
        return Map.entry(ref, function);
    }
}
