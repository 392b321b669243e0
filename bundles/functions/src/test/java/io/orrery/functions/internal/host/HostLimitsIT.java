package io.orrery.functions.internal.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orrery.api.function.ErrorClass;
import io.orrery.functions.fixtures.Brood;
import io.orrery.functions.fixtures.Crowd;
import io.orrery.functions.fixtures.Echo;
import io.orrery.functions.fixtures.Forge;
import io.orrery.functions.fixtures.Grow;
import io.orrery.functions.fixtures.Hoard;
import io.orrery.functions.fixtures.Muzzle;
import io.orrery.functions.fixtures.Scatter;
import io.orrery.functions.fixtures.Swarm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real sandboxed function hosts against their limits on threads, processes, open files and file size. */
class HostLimitsIT {

    /** The defaults but for files, kept small so that a test writes little. */
    private static final HostLimits LIMITS = new HostLimits(256, 32, 1024, 4L << 20);

    @TempDir
    Path root;

    private final List<TenantHost> hosts = new ArrayList<>();
    private final List<HostLauncher> launchers = new ArrayList<>();

    @AfterEach
    void stop() {
        hosts.forEach(TenantHost::close);
        launchers.forEach(HostLauncher::close);
    }

    private TenantHost host(String tenant) throws Exception {
        return host(tenant, Sandbox.detect(null));
    }

    private TenantHost host(String tenant, Sandbox sandbox) throws Exception {
        return host(tenant, sandbox, LIMITS);
    }

    private TenantHost host(String tenant, Sandbox sandbox, HostLimits limits) throws Exception {
        assertThat(sandbox.on()).as(sandbox.status()).isTrue();
        Path etc = Files.createDirectories(root.resolve("karaf/etc"));
        HostLauncher launcher = new HostLauncher(HostFixture.settings(root, 64, List.of(etc), limits), sandbox);
        launchers.add(launcher);
        Path jar = ProbeBundles.write(launcher.tenantDirectory(tenant).resolve("bundles/limits.jar"), tenant,
                "1.0.0", List.of(Echo.class, Swarm.class, Brood.class, Hoard.class, Grow.class,
                        Scatter.class, Forge.class, Muzzle.class, Crowd.class));
        TenantHost host = HostFixture.host(tenant, launcher, List.of(jar), HostFixture.record());
        hosts.add(host);
        return host;
    }

    @Test
    void aFunctionStartingAThousandThreadsEndsItsHostNamingTheLimitAndTheNextCallGetsAFreshHost() throws Exception {
        TenantHost host = host("acme");
        long first = host.running().handle().pid();

        assertThatThrownBy(() -> host.call("probe.swarm", Map.of("threads", 1000)))
                .isInstanceOf(HostFailure.class)
                .hasMessageContaining("thread limit of 256")
                .satisfies(e -> assertThat(ErrorClass.of(e)).isEqualTo(ErrorClass.PLATFORM));

        assertThat(host.call("probe.echo", Map.of())).containsKey("pid");
        assertThat(host.running().handle().pid()).isNotEqualTo(first);
    }

    @Test
    void aFunctionStartingMoreProcessesThanTheLimitEndsItsHostNamingTheLimit() throws Exception {
        TenantHost host = host("acme");
        long first = host.running().handle().pid();

        assertThatThrownBy(() -> host.call("probe.brood", Map.of("processes", 40)))
                .isInstanceOf(HostFailure.class)
                .hasMessageContaining("process limit of 32");

        assertThat(host.call("probe.echo", Map.of())).containsKey("pid");
        assertThat(host.running().handle().pid()).isNotEqualTo(first);
    }

    @Test
    void processesThatDetachFromTheHostCountAgainstItsLimit() throws Exception {
        TenantHost host = host("acme");
        ProcessHandle first = host.running().handle();

        assertThatThrownBy(() -> host.call("probe.scatter", Map.of("processes", 40)))
                .isInstanceOf(HostFailure.class)
                .hasMessageContaining("process limit of 32");

        assertThat(first.onExit()).succeedsWithin(Duration.ofSeconds(10));
        assertThat(host.call("probe.echo", Map.of())).containsKey("pid");
    }

    @Test
    void detachedProcessesCountWhateverBubblewrapIsCalled() throws Exception {
        // Installed under another name (a packaged path, a link): the sandbox is the same, and so is what counts.
        Path bubblewrap = Files.createSymbolicLink(root.resolve("bubblewrap"), Sandbox.onPath("bwrap").orElseThrow());
        TenantHost host = host("acme", Sandbox.detect(bubblewrap));
        ProcessHandle first = host.running().handle();

        assertThatThrownBy(() -> host.call("probe.scatter", Map.of("processes", 40)))
                .isInstanceOf(HostFailure.class)
                .hasMessageContaining("process limit of 32");

        assertThat(first.onExit()).succeedsWithin(Duration.ofSeconds(10));
    }

    @Test
    void aFunctionThatSuspendsTheHostsOwnWatchStillMeetsTheProcessLimitCountedByTheNode() throws Exception {
        TenantHost host = host("acme");
        ProcessHandle first = host.running().handle();

        assertThatThrownBy(() -> host.call("probe.muzzle", Map.of("processes", 40)))
                .isInstanceOf(HostFailure.class)
                .hasMessageContaining("process limit of 32")
                .hasMessageContaining("counted by the node");

        assertThat(first.onExit()).succeedsWithin(Duration.ofSeconds(10));
        assertThat(host.call("probe.echo", Map.of())).containsKey("pid");
    }

    @Test
    void aFunctionThatSuspendsTheHostsOwnWatchStillMeetsTheThreadLimitCountedByTheNode() throws Exception {
        TenantHost host = host("acme");

        assertThatThrownBy(() -> host.call("probe.muzzle", Map.of("threads", 1000)))
                .isInstanceOf(HostFailure.class)
                .hasMessageContaining("thread limit of 256")
                .hasMessageContaining("counted by the node");
    }

    @Test
    void aHostJustInsideItsThreadLimitIsLeftAloneByTheNodesCount() throws Exception {
        // The kernel's count of the JVM's threads holds the compiler's, the collector's and the VM's own as well,
        // which the host's limit on live threads does not count.
        TenantHost host = host("acme");
        long first = host.running().handle().pid();

        assertThat(host.call("probe.crowd", Map.of("liveThreads", 254, "seconds", 2))).containsEntry("live", 254);

        assertThat(host.running().handle().pid()).isEqualTo(first);
    }

    @Test
    void aHostThatSaysItIsEndingIsEndedThoughTenantCodeSaidIt() throws Exception {
        TenantHost host = host("acme");
        ProcessHandle first = host.running().handle();

        assertThatThrownBy(() -> host.call("probe.forge", Map.of())).isInstanceOf(HostFailure.class)
                .hasMessageContaining("forged");

        assertThat(first.onExit()).succeedsWithin(Duration.ofSeconds(10)); // not left running out of service
        assertThat(host.call("probe.echo", Map.of())).containsKey("pid");
        assertThat(host.running().handle().pid()).isNotEqualTo(first.pid());
    }

    @Test
    void aFunctionOpeningMoreFilesThanTheLimitFailsAndItsHostServesOn() throws Exception {
        TenantHost host = host("acme");
        assertThat(HostsHealth.check(Sandbox.detect(null), 1).details())
                .containsEntry("kernelLimits", "kernel limits by prlimit");

        String limits = Files.readString(Path.of("/proc", Long.toString(host.running().handle().pid()), "limits"));
        assertThat(limits).containsPattern("Max open files +1024 +1024")
                .containsPattern("Max core file size +0 +0");

        assertThatThrownBy(() -> host.call("probe.hoard", Map.of("files", 2000)))
                .isInstanceOf(FunctionError.class)
                .hasMessageContaining("Too many open files");

        assertThat(host.call("probe.hoard", Map.of("files", 100))).containsEntry("open", 100);
    }

    @Test
    void aFunctionWritingAFilePastTheSizeLimitFailsAndItsHostServesOn() throws Exception {
        TenantHost host = host("acme");
        long first = host.running().handle().pid();

        assertThatThrownBy(() -> host.call("probe.grow", Map.of("megabytes", 8)))
                .isInstanceOf(FunctionError.class)
                .hasMessageContaining("File too large");

        assertThat(((Number) host.call("probe.grow", Map.of("megabytes", 2)).get("bytes")).longValue())
                .isEqualTo(2L << 20);
        assertThat(host.running().handle().pid()).isEqualTo(first);
    }
}
