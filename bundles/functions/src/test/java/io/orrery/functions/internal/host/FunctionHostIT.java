package io.orrery.functions.internal.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.orrery.api.function.BatchOutcome;
import io.orrery.api.function.ErrorClass;
import io.orrery.api.function.FunctionFailure;
import io.orrery.functions.protocol.HostMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real function hosts: separate JVMs, under Debian's bubblewrap, killed and restarted. */
class FunctionHostIT {

    @TempDir
    Path root;

    private Path etc;
    private Path data;
    private final List<TenantHost> hosts = new ArrayList<>();
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @BeforeEach
    void serverFiles() throws IOException {
        etc = Files.createDirectories(root.resolve("karaf/etc"));
        data = Files.createDirectories(root.resolve("karaf/data"));
        Files.writeString(etc.resolve("io.orrery.api.cfg"), "secret = etc");
        Files.writeString(data.resolve("instances.db"), "secret = data");
    }

    @AfterEach
    void stop() {
        callers.shutdownNow();
        hosts.forEach(TenantHost::close);
    }

    private TenantHost host(String tenant, Sandbox sandbox, int heap) throws Exception {
        HostLauncher launcher = new HostLauncher(HostFixture.settings(root, heap, List.of(etc, data)), sandbox);
        Path jar = ProbeBundles.write(launcher.tenantDirectory(tenant).resolve("bundles"), tenant);
        TenantHost host = HostFixture.host(tenant, launcher, List.of(jar), HostFixture.record());
        hosts.add(host);
        return host;
    }

    private static Sandbox bubblewrap() {
        Sandbox s = Sandbox.detect(null);
        assertThat(s.on()).as("bubblewrap must be installed (apt-get install -y bubblewrap): %s", s.status())
                .isTrue();
        return s;
    }

    @Test
    void aSandboxedFunctionSeesNothingOfTheServersEtcOrDataNorTheNetwork() throws Exception {
        Path visible = Files.writeString(Files.createDirectories(root.resolve("public")).resolve("note"), "plain");
        try (ServerSocket listening = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            TenantHost host = host("acme", bubblewrap(), 64);

            assertThat(host.call("probe.read", Map.of("path", visible.toString()))).containsEntry("text", "plain");
            // Whoever runs the node, root included, the host holds no capability: it cannot remount what the sandbox
            // binds read-only or hides, trace the node, or raise the limits the kernel holds it to.
            assertThat((String) host.call("probe.read", Map.of("path", "/proc/self/status")).get("text"))
                    .contains("CapEff:\t0000000000000000").contains("CapPrm:\t0000000000000000");
            assertThatThrownBy(() -> host.call("probe.read", Map.of("path", etc.resolve("io.orrery.api.cfg").toString())))
                    .isInstanceOf(FunctionError.class).hasMessageContaining("NoSuchFileException");
            assertThatThrownBy(() -> host.call("probe.read", Map.of("path", data.resolve("instances.db").toString())))
                    .isInstanceOf(FunctionError.class).hasMessageContaining("NoSuchFileException");
            assertThatThrownBy(() -> host.call("probe.connect", Map.of("port", listening.getLocalPort())))
                    .isInstanceOf(FunctionError.class).hasMessageMatching("(?s).*(ConnectException|unreachable).*");
            // The same port answers from the node: the sandbox, not the port, refused the function.
            try (Socket fromNode = new Socket(java.net.InetAddress.getLoopbackAddress(), listening.getLocalPort())) {
                assertThat(fromNode.isConnected()).isTrue();
            }
        }
    }

    @Test
    void withoutBubblewrapTheHostIsStillAProcessOfItsOwnAndHealthSaysTheSandboxIsOff() throws Exception {
        Sandbox none = Sandbox.detect(root.resolve("no-such/bwrap"));
        TenantHost host = host("acme", none, 64);

        Map<String, Object> echo = host.call("probe.echo", Map.of("x", 1));

        assertThat(((Number) echo.get("pid")).longValue()).isNotEqualTo(ProcessHandle.current().pid())
                .isEqualTo(host.running().handle().pid());
        assertThat(echo.get("echo")).isEqualTo(Map.of("x", 1));
        var health = HostsHealth.check(none, 1);
        assertThat(health.isUp()).isTrue();
        assertThat(String.valueOf(health.details().get("sandbox"))).startsWith("off: bwrap not found");
        assertThat(HostsHealth.check(bubblewrap(), 1).details()).containsEntry("sandbox", "bubblewrap");
    }

    @Test
    void anEndlessLoopIsKilledWithItsProcessTreeAtItsTimeoutWhileAnotherTenantKeepsAnswering() throws Exception {
        TenantHost spinning = host("acme", bubblewrap(), 64);
        TenantHost other = host("beta", bubblewrap(), 64);
        ProcessHandle spinHost = spinning.running().handle();

        Future<Map<String, Object>> call = callers.submit(() -> spinning.call("probe.spin", Map.of()));
        // The loop runs once its child process exists; the whole tree is what must go.
        await().atMost(Duration.ofSeconds(20)).until(() -> spinHost.descendants()
                .anyMatch(p -> p.info().command().orElse("").endsWith("sleep")));
        List<ProcessHandle> tree = new ArrayList<>(spinHost.descendants().toList());
        tree.add(spinHost);

        AtomicBoolean spinningOn = new AtomicBoolean(true);
        Future<Long> slowest = callers.submit(() -> {
            long worst = 0;
            while (spinningOn.get()) {
                long t0 = System.nanoTime();
                other.call("probe.echo", Map.of());
                worst = Math.max(worst, System.nanoTime() - t0);
            }
            return TimeUnit.NANOSECONDS.toMillis(worst);
        });
        assertThatThrownBy(() -> call.get(1, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
        call.cancel(true); // what the function worker does at the call's timeout

        await().atMost(Duration.ofSeconds(10)).until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));
        spinningOn.set(false);
        assertThat(slowest.get(30, TimeUnit.SECONDS)).as("the other tenant's slowest call, ms").isLessThan(2_000);

        assertThat(spinning.call("probe.echo", Map.of())).containsKey("pid");
        assertThat(spinning.running().handle().pid()).isNotEqualTo(spinHost.pid());
    }

    @Test
    void aHostThatDiesMidCallIsAPlatformFailureAndTheNextCallStartsANewHost() throws Exception {
        TenantHost host = host("acme", bubblewrap(), 64);
        long first = host.running().handle().pid();

        assertThatThrownBy(() -> host.call("probe.halt", Map.of())).isInstanceOf(HostFailure.class)
                .hasMessageContaining("exit status 7");

        assertThat(host.call("probe.echo", Map.of())).containsKey("pid");
        assertThat(host.running().handle().pid()).isNotEqualTo(first);
    }

    @Test
    void aHostThatDiesWithCallsInFlightFailsEachOfThemAsAPlatformFailure() throws Exception {
        TenantHost host = host("acme", bubblewrap(), 64);
        long first = host.running().handle().pid();
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<Future<Map<String, Object>>> inFlight = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            inFlight.add(callers.submit(() -> {
                go.await();
                return host.call("probe.nap", Map.of());
            }));
        }
        inFlight.add(callers.submit(() -> {
            go.await();
            return host.call("probe.halt", Map.of("millis", 500));
        }));

        go.countDown();

        for (Future<Map<String, Object>> call : inFlight) {
            assertThatThrownBy(() -> call.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(HostFailure.class)
                    .cause().hasMessageContaining("ended (exit status 7)")
                    .satisfies(e -> assertThat(ErrorClass.of(e)).isEqualTo(ErrorClass.PLATFORM));
        }
        assertThat(host.call("probe.echo", Map.of())).containsKey("pid");
        assertThat(host.running().handle().pid()).isNotEqualTo(first);
    }

    @Test
    void aSlowCallDoesNotHoldUpTheQuickCallsOfTheSameHost() throws Exception {
        TenantHost host = host("acme", bubblewrap(), 64);
        List<Future<Map<String, Object>>> naps = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            naps.add(callers.submit(() -> host.call("probe.nap", Map.of())));
        }
        List<Future<Map<String, Object>>> quick = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int n = i;
            quick.add(callers.submit(() -> host.call("probe.echo", Map.of("n", n))));
        }

        for (int i = 0; i < quick.size(); i++) {
            assertThat(quick.get(i).get(20, TimeUnit.SECONDS).get("echo")).isEqualTo(Map.of("n", i));
        }
        assertThat(naps).noneMatch(Future::isDone);
        assertThat(host.pids()).hasSize(1);
    }

    @Test
    void aFunctionsOwnErrorsAreClassified() throws Exception {
        TenantHost host = host("acme", bubblewrap(), 64);

        assertThatThrownBy(() -> host.call("probe.fail", Map.of("final", true))).isInstanceOf(FunctionFailure.class)
                .hasMessage("no such source");
        assertThatThrownBy(() -> host.call("probe.fail", Map.of())).isInstanceOf(FunctionError.class)
                .hasMessageContaining("try again");
        assertThatThrownBy(() -> host.call("probe.nothing", Map.of())).isInstanceOf(HostFailure.class)
                .hasMessageContaining("no function named probe.nothing");
        assertThatThrownBy(() -> host.call("probe.fail", Map.of("command", true)))
                .isInstanceOfSatisfying(FunctionFailure.class, f -> assertThat(ErrorClass.of(f))
                        .as("an external command's timeout stays a timeout across the host").isEqualTo(ErrorClass.TIMEOUT))
                .hasMessageContaining("sleep 30");
        assertThat(host.call("probe.log", Map.of("text", "through slf4j"))).containsEntry("logged", true);
    }

    @Test
    void aFunctionAllocatingPastTheHeapCapEndsItsHostNotTheNode() throws Exception {
        TenantHost host = host("acme", bubblewrap(), 32);
        long first = host.running().handle().pid();

        assertThatThrownBy(() -> host.call("probe.allocate", Map.of())).isInstanceOf(HostFailure.class)
                .hasMessageContaining("ended");

        assertThat(host.call("probe.echo", Map.of())).containsKey("pid");
        assertThat(host.running().handle().pid()).isNotEqualTo(first);
    }

    @Test
    void aHostOutlivesTheThreadThatDeployedIt() throws Exception {
        // bubblewrap's --die-with-parent ends the sandbox when the thread that started it ends, not the node: a host
        // started by a deploy's thread, a shell session or a pooled thread retired when idle died with that thread.
        AtomicReference<TenantHost> deployed = new AtomicReference<>();
        AtomicReference<Exception> failed = new AtomicReference<>();
        Thread deployer = new Thread(() -> {
            try {
                deployed.set(host("acme", bubblewrap(), 64));
            } catch (Exception e) {
                failed.set(e);
            }
        }, "short-lived deployer");
        deployer.start();
        deployer.join();
        assertThat(failed.get()).isNull();
        TenantHost host = deployed.get();
        assertThat(host.pids()).as("the host the deploy started, once the deploying thread ended").hasSize(1);
        long pid = host.pids().get(0);

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertThat(host.call("probe.echo", Map.of())).containsKey("pid");
        assertThat(host.pids()).as("still the host the deploy started").containsExactly(pid);
    }

    @Test
    void aFunctionFloodingTheProtocolStreamIsSkippedAndItsResultStillArrives() throws Exception {
        TenantHost host = host("acme", bubblewrap(), 64);

        assertThat(host.call("probe.scribble", Map.of("megabytes", 40))).containsEntry("ok", true);
        assertThat(host.call("probe.echo", Map.of())).containsKey("pid");
    }

    @Test
    void aHostThatCannotStartSaysWhyAndIsGone() throws Exception {
        HostLauncher launcher = new HostLauncher(HostFixture.settings(root, 64, List.of(etc, data)), bubblewrap());
        Path broken = Files.writeString(Files.createDirectories(launcher.tenantDirectory("acme").resolve("bundles"))
                .resolve("broken.jar"), "not a zip");
        HostProcess process = launcher.launch("acme", List.of(broken));

        assertThatThrownBy(() -> process.awaitReady(Duration.ofSeconds(60))).isInstanceOf(HostFailure.class)
                .hasMessageContaining("failed to start");
        await().atMost(Duration.ofSeconds(10)).until(() -> !process.alive());
    }

    @Test
    void aHostedBatchRunsInOneApplyBatchAndOnlyItsFailingCallFails() throws Exception {
        HostedFunction stamp = new HostedFunction("probe.stamp", host("acme", bubblewrap(), 64));

        List<BatchOutcome> out = stamp.applyBatch(List.of(Map.of("id", "a"), Map.of("id", "bad"), Map.of("id", "c")));

        assertThat(stamp.batchSize()).as("declared in the host").isEqualTo(16);
        assertThat(new HostedFunction("probe.echo", hosts.get(0)).batchSize()).isEqualTo(1);
        assertThat(out).hasSize(3);
        assertThat(out.get(0).value()).containsEntry("id", "a").containsEntry("batch", 3);
        assertThat(out.get(1).error()).isInstanceOf(FunctionFailure.class).hasMessage("bad call bad");
        assertThat(out.get(2).value()).containsEntry("id", "c").containsEntry("batch", 3);
    }

    @Test
    void batchAndWarmUpMessagesAreAnsweredByTheHost() throws Exception {
        HostProcess process = host("acme", bubblewrap(), 64).running();

        HostMessage warm = process.request(HostMessage.warmUp(process.nextId(), "probe.echo"), Duration.ofSeconds(30));
        HostMessage batch = process.request(HostMessage.batch(process.nextId(), "probe.fail", List.of(
                HostMessage.call("a", null, Map.of("final", true), 0), HostMessage.call("b", null, Map.of(), 0)),
                System.currentTimeMillis() + 30_000), Duration.ofSeconds(30));
        HostMessage unknown = process.request(HostMessage.warmUp(process.nextId(), "probe.nothing"),
                Duration.ofSeconds(30));

        assertThat(warm.type()).isEqualTo(HostMessage.WARM);
        assertThat(warm.function()).isEqualTo("probe.echo");
        assertThat(batch.type()).isEqualTo(HostMessage.BATCH_RESULT);
        assertThat(batch.calls()).extracting(HostMessage::id, HostMessage::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", HostMessage.FAILURE),
                        org.assertj.core.groups.Tuple.tuple("b", HostMessage.USER));
        assertThat(unknown.kind()).isEqualTo(HostMessage.PLATFORM);
    }
}
