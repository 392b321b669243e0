package io.orrery.functions.internal.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orrery.api.engine.CallKind;
import io.orrery.api.engine.CallResult;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.OutboundCall;
import io.orrery.api.function.OrreryFunction;
import io.orrery.api.queue.Backoff;
import io.orrery.functions.internal.worker.FixedSlots;
import io.orrery.functions.internal.worker.FunctionWorker;
import io.orrery.functions.internal.worker.QueuedInbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real function hosts following load: the node's worker runs a burst of one tenant's slow calls, tells their queue
 * waits to the hosts, and the tenant's hosts grow, then go back to the warm count after the burst.
 */
class LoadFollowingHostsIT {

    @TempDir
    Path root;

    final List<AutoCloseable> closing = new ArrayList<>();
    final List<CallResult> results = new CopyOnWriteArrayList<>();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    static OutboundCall nap(int i, long millis) {
        return new OutboundCall(new InstanceId("acme", "wf", "k" + i), "c" + i, "rule", CallKind.FUNCTION,
                "probe.nap", Map.of("millis", millis), null, 5, 30_000, 1, null, 0, null);
    }

    double gauge(String name) {
        var g = registry.find(name).tag("tenant", "acme").gauge();
        return g == null ? -1 : g.value();
    }

    @Test
    void aBurstOfSlowCallsStartsMoreHostsAndAfterItTheyGoBackToTheWarmCount() throws Exception {
        HostLauncher launcher = new HostLauncher(HostFixture.settings(root, 64, List.of()), Sandbox.detect(null));
        Path jar = ProbeBundles.write(launcher.tenantDirectory("acme").resolve("bundles"), "acme");
        Map<String, TenantHost> served = new ConcurrentHashMap<>();
        FunctionHosts.Listener listener = new FunctionHosts.Listener() {
            @Override
            public void served(String tenant, TenantHost host, List<String> functions) {
                served.put(tenant, host);
            }

            @Override
            public void withdrawn(String tenant) {
                served.remove(tenant);
            }
        };
        HostDemand demand = new HostDemand(new DemandSettings(Duration.ofMillis(300), 4, Duration.ofSeconds(1)));
        FunctionHosts hosts = new FunctionHosts(launcher, listener,
                new WarmSettings(Map.of("probe.nap", 1, "probe.stamp", 1), Duration.ZERO),
                new WarmMeters(() -> registry), demand);
        closing.add(hosts);
        hosts.deploy("acme", List.of(jar));
        TenantHost acme = served.get("acme");
        assertThat(acme.pids()).as("the warm count").hasSize(1);

        // Waits of calls these hosts do not run move nothing: a platform function's, another tenant's.
        hosts.waited("acme", "platform.echo", Duration.ofMinutes(1));
        hosts.waited("ghost", "probe.nap", Duration.ofMinutes(1));
        acme.upkeep();
        assertThat(acme.target()).isEqualTo(1);
        assertThat(acme.pids()).hasSize(1);

        QueuedInbox inbox = new QueuedInbox();
        // Four slots: the burst's later calls wait for the earlier ones, as they would in a pool of four.
        FixedSlots slots = new FixedSlots(4, 16);
        FunctionWorker worker = new FunctionWorker(inbox, (tenant, name) -> tenant.equals("acme")
                ? Optional.<OrreryFunction>of(new HostedFunction(name, acme)) : Optional.empty(), results::addAll,
                2, 4, Backoff.defaults(), "local", () -> slots);
        closing.add(0, worker);
        worker.waits(() -> hosts::waited);
        for (int i = 0; i < 40; i++) {
            inbox.add(nap(i, 1000));
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> acme.pids().size() >= 3);
        assertThat(acme.target()).as("raised by the queue wait, within the ceiling").isBetween(3, 4);
        await().atMost(Duration.ofSeconds(60)).until(() -> results.size() == 40);
        assertThat(results).allMatch(r -> r.error() == null, "every call succeeded");

        await().atMost(Duration.ofSeconds(30)).until(() -> acme.pids().size() == 1);
        assertThat(acme.target()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> gauge("orrery.function.hosts.running") == 1.0);
        assertThat(gauge("orrery.function.hosts.target")).isEqualTo(1.0);

        hosts.undeploy("acme"); // its last bundle gone, as when the tenant is deleted
        assertThat(registry.getMeters()).as("its hosts' meters went with them")
                .noneMatch(m -> "acme".equals(m.getId().getTag("tenant")));
    }
}
