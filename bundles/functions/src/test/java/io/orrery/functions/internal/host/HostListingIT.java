package io.orrery.functions.internal.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.orrery.api.function.FunctionHostView;
import io.orrery.api.function.FunctionHostView.State;
import io.orrery.api.function.TenantHostsView;
import io.orrery.functions.fixtures.Echo;
import io.orrery.functions.fixtures.Swarm;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What operators see of real function hosts: the live processes of each tenant with their real pids, calls in
 * flight, hosts starting, and hosts that died or were killed taken out, counted and replaced.
 */
class HostListingIT {

    @TempDir
    Path root;

    final List<AutoCloseable> closing = new ArrayList<>();
    HostLauncher launcher;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    FunctionHosts hosts(WarmSettings warm) {
        launcher = new HostLauncher(HostFixture.settings(root, 64, List.of()), Sandbox.detect(null));
        FunctionHosts hosts = new FunctionHosts(launcher, new FunctionHosts.Listener() {
            @Override
            public void served(String tenant, TenantHost host, List<String> functions) {
            }

            @Override
            public void withdrawn(String tenant) {
            }
        }, warm, HostEvents.NONE);
        closing.add(hosts);
        return hosts;
    }

    List<Path> bundles(String tenant) throws Exception {
        return List.of(ProbeBundles.write(launcher.tenantDirectory(tenant).resolve("bundles"), tenant));
    }

    static TenantHostsView view(FunctionHosts hosts, String tenant) {
        return hosts.views().stream().filter(v -> v.tenant().equals(tenant)).findFirst().orElseThrow();
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    static List<Long> pids(TenantHostsView view) {
        return view.hosts().stream().map(FunctionHostView::pid).toList();
    }

    @Test
    void eachTenantsLiveHostsAreListedWithTheirRealPidsWarmFunctionsAndTarget() throws Exception {
        FunctionHosts hosts = hosts(new WarmSettings(Map.of("probe.stamp", 2), Duration.ofMinutes(5)));
        Instant before = Instant.now();
        hosts.deploy("acme", bundles("acme"));
        hosts.deploy("beta", bundles("beta"));

        assertThat(hosts.views()).extracting(TenantHostsView::tenant).containsExactly("acme", "beta");
        TenantHostsView acme = view(hosts, "acme");
        assertThat(acme.hosts()).hasSize(2);
        assertThat(acme.hosts()).extracting(FunctionHostView::instance).containsExactly(0, 1);
        assertThat(pids(acme)).doesNotHaveDuplicates().allMatch(HostListingIT::alive)
                .containsExactlyInAnyOrderElementsOf(hosts.host("acme").orElseThrow().pids());
        for (FunctionHostView h : acme.hosts()) {
            assertThat(h.tenant()).isEqualTo("acme");
            assertThat(h.state()).isEqualTo(State.WARM);
            assertThat(h.warm()).contains("probe.stamp");
            assertThat(h.sandboxed()).isEqualTo(launcher.sandbox().on());
            assertThat(h.startedAt()).isBetween(before, Instant.now());
            assertThat(h.callsInFlight()).isZero();
        }
        assertThat(acme.target()).as("the warm capacity, before any load").isEqualTo(2);
        assertThat(acme.running()).isEqualTo(2);
        assertThat(List.of(acme.started(), acme.stopped(), acme.killed(), acme.died())).containsExactly(2L, 0L, 0L,
                0L);
        TenantHostsView beta = view(hosts, "beta");
        assertThat(beta.hosts()).as("warm settings are per function, so alike").hasSize(2);
        assertThat(pids(beta)).doesNotContainAnyElementsOf(pids(acme)).allMatch(HostListingIT::alive);

        hosts.undeploy("beta");
        assertThat(hosts.views()).extracting(TenantHostsView::tenant).containsExactly("acme");
        assertThat(pids(beta)).noneMatch(HostListingIT::alive);
    }

    @Test
    void aCallInFlightIsCountedOnItsHostUntilItIsAnsweredAndAnOverrunKillsTheHostOutOfTheListing()
            throws Exception {
        FunctionHosts hosts = hosts(WarmSettings.DEFAULTS);
        hosts.deploy("acme", bundles("acme"));
        TenantHost acme = hosts.host("acme").orElseThrow();
        long first = pids(view(hosts, "acme")).get(0);

        Future<Map<String, Object>> nap = CompletableFuture.supplyAsync(() -> call(acme, 1_500));
        await().atMost(Duration.ofSeconds(10)).until(() -> view(hosts, "acme").hosts().get(0).callsInFlight() == 1);
        assertThat(nap.get(30, TimeUnit.SECONDS)).containsEntry("napped", true);
        assertThat(view(hosts, "acme").hosts().get(0).callsInFlight()).isZero();

        Thread overrun = new Thread(() -> call(acme, 60_000));
        overrun.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> view(hosts, "acme").hosts().get(0).callsInFlight() == 1);
        overrun.interrupt(); // as the worker's timeout does: the host is killed with its process tree
        overrun.join(10_000);

        await().atMost(Duration.ofSeconds(10)).until(() -> !alive(first));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            TenantHostsView v = view(hosts, "acme");
            assertThat(v.killed()).isEqualTo(1);
            assertThat(v.died()).isZero();
            assertThat(v.hosts()).hasSize(1).allMatch(h -> h.state() == State.WARM);
            assertThat(pids(v)).doesNotContain(first).allMatch(HostListingIT::alive);
            assertThat(v.started()).isEqualTo(2);
        });
    }

    @Test
    void aHostKilledFromOutsideIsListedEndedUntilTakenOutThenCountedAsDiedAndReplaced() throws Exception {
        launcher = new HostLauncher(HostFixture.settings(root, 64, List.of()), Sandbox.detect(null));
        TenantHost acme = new TenantHost("acme", launcher, names -> { });
        closing.add(acme);
        acme.deploy(bundles("acme"));
        long dead = pids(acme.view()).get(0);

        ProcessHandle.of(dead).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(10)).until(() -> acme.view().hosts().get(0).state() == State.ENDED);
        assertThat(acme.view().died()).as("not taken out yet").isZero();

        acme.upkeep();
        TenantHostsView v = acme.view();
        assertThat(v.died()).isEqualTo(1);
        assertThat(v.killed()).isZero();
        assertThat(v.started()).isEqualTo(2);
        assertThat(v.hosts()).hasSize(1).allMatch(h -> h.state() == State.WARM);
        assertThat(pids(v)).doesNotContain(dead).allMatch(HostListingIT::alive);
    }

    @Test
    void aHostThatEndsItselfOverALimitIsCountedAsDiedNotKilled() throws Exception {
        launcher = new HostLauncher(HostFixture.settings(root, 64, List.of()), Sandbox.detect(null));
        TenantHost acme = new TenantHost("acme", launcher, names -> { });
        closing.add(acme);
        acme.deploy(List.of(ProbeBundles.write(launcher.tenantDirectory("acme").resolve("bundles/limits.jar"),
                "acme", "1.0.0", List.of(Echo.class, Swarm.class))));

        assertThatThrownBy(() -> acme.call("probe.swarm", Map.of("threads", 1000))).isInstanceOf(HostFailure.class)
                .hasMessageContaining("thread limit");
        await().atMost(Duration.ofSeconds(10)).until(() -> acme.view().hosts().stream()
                .allMatch(h -> h.state() == State.ENDED));
        acme.upkeep();

        TenantHostsView v = acme.view();
        assertThat(v.died()).as("it ended on its own, the node only made sure").isEqualTo(1);
        assertThat(v.killed()).isZero();
    }

    @Test
    void aListingDuringAHostStartShowsItStartingWithoutWaitingForIt() throws Exception {
        FunctionHosts hosts = hosts(WarmSettings.DEFAULTS);
        List<Path> jars = bundles("acme");
        CompletableFuture<Void> deploy = CompletableFuture.runAsync(() -> {
            try {
                hosts.deploy("acme", jars);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        // The start holds the tenant's lock throughout: a listing that took it could never see a host starting.
        AtomicReference<TenantHostsView> seen = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> {
            Optional<TenantHostsView> v = hosts.host("acme").map(TenantHost::view);
            v.ifPresent(seen::set);
            return v.isPresent() && !v.get().hosts().isEmpty()
                    && v.get().hosts().get(0).state() == State.STARTING;
        });
        TenantHostsView starting = seen.get();
        assertThat(starting.running()).isZero();
        assertThat(starting.started()).isEqualTo(1);
        long pid = starting.hosts().get(0).pid();
        assertThat(alive(pid)).isTrue();

        // Listings as fast as they come while the host becomes ready: it joins the running hosts before it leaves
        // the starting ones, so no listing may miss it or show it twice.
        List<State> states = new ArrayList<>();
        while (!deploy.isDone()) {
            TenantHostsView v = view(hosts, "acme");
            assertThat(v.hosts()).as("listed once, never missed").singleElement()
                    .satisfies(h -> assertThat(h.pid()).isEqualTo(pid));
            State state = v.hosts().get(0).state();
            if (states.isEmpty() || states.get(states.size() - 1) != state) {
                states.add(state);
            }
        }
        deploy.get(60, TimeUnit.SECONDS);
        TenantHostsView after = view(hosts, "acme");
        assertThat(after.hosts()).singleElement()
                .satisfies(h -> assertThat(h.pid()).isEqualTo(pid))
                .satisfies(h -> assertThat(h.state()).isEqualTo(State.WARM));
        assertThat(states).as("only forward").isSubsetOf(State.STARTING, State.READY, State.WARM)
                .isSortedAccordingTo(java.util.Comparator.naturalOrder());
    }

    static Map<String, Object> call(TenantHost host, long millis) {
        try {
            return host.call("probe.nap", Map.of("millis", millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        } catch (Exception e) {
            if (e instanceof HostFailure) {
                return Map.of("failed", e.getMessage());
            }
            throw new IllegalStateException(e);
        }
    }
}
