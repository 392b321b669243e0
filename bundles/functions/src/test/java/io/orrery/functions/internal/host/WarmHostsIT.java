package io.orrery.functions.internal.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orrery.api.function.CallStart;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Warm capacity of real function hosts: started and warmed up before the first call, kept, and cold without it. */
class WarmHostsIT {

    @TempDir
    Path root;

    final List<TenantHost> hosts = new ArrayList<>();
    final Map<String, AtomicInteger> warmHits = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> coldStarts = new ConcurrentHashMap<>();
    final HostEvents recorder = new HostEvents() {
        @Override
        public void warmHit(String tenant, String function) {
            warmHits.computeIfAbsent(tenant + "/" + function, k -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public void coldStart(String tenant, String function, long nanos) {
            coldStarts.computeIfAbsent(tenant + "/" + function, k -> new AtomicInteger()).incrementAndGet();
        }
    };

    @AfterEach
    void stop() {
        hosts.forEach(TenantHost::close);
    }

    TenantHost deployed(String tenant, WarmSettings warm) throws Exception {
        HostLauncher launcher = new HostLauncher(HostFixture.settings(root, 64, List.of()), Sandbox.detect(null));
        Path jar = ProbeBundles.write(launcher.tenantDirectory(tenant).resolve("bundles"), tenant);
        TenantHost host = new TenantHost(tenant, launcher, names -> { }, warm, recorder);
        hosts.add(host);
        host.deploy(List.of(jar));
        return host;
    }

    static int count(Map<String, AtomicInteger> counts, String key) {
        AtomicInteger n = counts.get(key);
        return n == null ? 0 : n.get();
    }

    @Test
    void aFunctionDeclaringAWarmInstanceIsWarmedUpInItsHostBeforeTheFirstCallIsMade() throws Exception {
        TenantHost host = deployed("acme", WarmSettings.DEFAULTS);
        long callMade = System.currentTimeMillis();

        Map<String, Object> first = host.call("probe.stamp", Map.of("id", "a"));

        assertThat(((Number) first.get("warmedAt")).longValue()).as("warmUp ran before the call was made")
                .isPositive().isLessThanOrEqualTo(callMade);
        assertThat(count(warmHits, "acme/probe.stamp")).isEqualTo(1);
        assertThat(count(coldStarts, "acme/probe.stamp")).isZero();
    }

    @Test
    void withoutWarmCapacityTheFirstCallStartsAHostAndIsFarSlowerThanAWarmFirstCall() throws Exception {
        TenantHost warm = deployed("acme", WarmSettings.DEFAULTS);
        TenantHost cold = deployed("beta", new WarmSettings(Map.of("probe.stamp", 0), Duration.ZERO));
        cold.upkeep(); // idle beyond a warm capacity of 0: its host stops
        assertThat(cold.pids()).isEmpty();
        assertThat(warm.pids()).hasSize(1);

        long began = System.nanoTime();
        warm.call("probe.stamp", Map.of("id", "w"));
        long warmNanos = System.nanoTime() - began;
        assertThat(CallStart.take()).as("reported for the call's span").isEqualTo(CallStart.WARM);
        long callMade = System.currentTimeMillis();
        began = System.nanoTime();
        Map<String, Object> coldAnswer = cold.call("probe.stamp", Map.of("id", "c"));
        long coldNanos = System.nanoTime() - began;
        assertThat(CallStart.take()).isEqualTo(CallStart.COLD);

        System.out.printf("first call: warm %.1f ms, cold %.1f ms%n", warmNanos / 1e6, coldNanos / 1e6);
        assertThat(((Number) coldAnswer.get("warmedAt")).longValue()).as("warmed up during the cold call")
                .isGreaterThanOrEqualTo(callMade);
        assertThat(coldNanos).isGreaterThan(5 * warmNanos);
        assertThat(count(coldStarts, "beta/probe.stamp")).isEqualTo(1);
        assertThat(count(warmHits, "acme/probe.stamp")).isEqualTo(1);
        assertThat(cold.pids()).as("the cold call's host stays for the next call").hasSize(1);
        cold.call("probe.stamp", Map.of("id", "c2"));
        assertThat(count(warmHits, "beta/probe.stamp")).isEqualTo(1);
    }

    @Test
    void aWarmHostThatDiesIsStartedAndWarmedUpAgainBeforeTheNextCall() throws Exception {
        TenantHost host = deployed("acme", WarmSettings.DEFAULTS);
        long dead = host.pids().get(0);
        ProcessHandle.of(dead).ifPresent(ProcessHandle::destroyForcibly);
        await().atMost(Duration.ofSeconds(10)).until(() -> !host.pids().contains(dead));

        host.upkeep();
        assertThat(host.pids()).hasSize(1).doesNotContain(dead);
        long callMade = System.currentTimeMillis();
        Map<String, Object> answer = host.call("probe.stamp", Map.of("id", "a"));

        assertThat(((Number) answer.get("warmedAt")).longValue()).isLessThanOrEqualTo(callMade);
        assertThat(count(warmHits, "acme/probe.stamp")).isEqualTo(1);
        assertThat(count(coldStarts, "acme/probe.stamp")).isZero();
    }

    @Test
    void twoConfiguredWarmInstancesAreTwoHostsEachWarmedUpAndExtrasStopWhenIdle() throws Exception {
        TenantHost host = deployed("acme", new WarmSettings(Map.of("probe.stamp", 2), Duration.ZERO));
        assertThat(host.pids()).hasSize(2).doesNotHaveDuplicates();

        for (int i = 0; i < 3; i++) {
            host.call("probe.stamp", Map.of("id", "a" + i));
        }
        host.upkeep();

        assertThat(count(warmHits, "acme/probe.stamp")).isEqualTo(3);
        assertThat(host.pids()).as("both are warm capacity, neither stops").hasSize(2);
    }
}
