package io.orrery.functions.internal.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.orrery.api.engine.CallKind;
import io.orrery.api.engine.CallResult;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.OutboundCall;
import io.orrery.api.function.ErrorClass;
import io.orrery.api.function.OrreryFunction;
import io.orrery.api.queue.Backoff;
import io.orrery.functions.internal.worker.DeferredCall;
import io.orrery.functions.internal.worker.FixedSlots;
import io.orrery.functions.internal.worker.FunctionWorker;
import io.orrery.functions.internal.worker.QueuedInbox;
import io.orrery.functions.protocol.HostMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calls sent to real function hosts without waiting ({@link TenantHost#callLater}): answered on the host's reading
 * thread, failed when the host dies with them in flight, never able to block the sending thread, and, through the
 * node's worker, timed out with the host killed while the calls beside them are retried on a new host.
 */
class DeferredHostCallsIT {

    @TempDir
    Path root;

    private final List<AutoCloseable> closing = new ArrayList<>();
    /** Starts the plain processes that stand in for a host here. */
    private final HostSpawner spawner = new HostSpawner();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        spawner.close();
    }

    /** A tenant host whose functions are all warm at deploy, as warm capacity keeps them. */
    private TenantHost warmHost(String tenant) throws Exception {
        HostLauncher launcher = new HostLauncher(HostFixture.settings(root, 64, List.of()), Sandbox.detect(null));
        Path jar = ProbeBundles.write(launcher.tenantDirectory(tenant).resolve("bundles"), tenant);
        TenantHost host = new TenantHost(tenant, launcher, names -> { }, new WarmSettings(Map.of("probe.echo", 1,
                "probe.nap", 1, "probe.halt", 1, "probe.spin", 1), Duration.ofMinutes(5)), HostEvents.NONE);
        closing.add(0, host);
        host.deploy(List.of(jar));
        return host;
    }

    @Test
    void callsSentWithoutWaitingAreAnsweredOnTheHostsReadingThread() throws Exception {
        TenantHost host = warmHost("acme");
        List<DeferredCall> sent = new ArrayList<>();
        List<String> answeredOn = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 20; i++) {
            DeferredCall c = host.callLater("probe.echo", Map.of("n", i));
            assertThat(c).as("call %d sent at once to the warm host", i).isNotNull();
            c.answer().whenComplete((v, e) -> answeredOn.add(Thread.currentThread().getName()));
            sent.add(c);
        }

        for (int i = 0; i < sent.size(); i++) {
            assertThat(sent.get(i).answer().get(20, TimeUnit.SECONDS).get("echo")).isEqualTo(Map.of("n", i));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> answeredOn.size() == 20);
        String caller = Thread.currentThread().getName(); // for an answer in before whenComplete was asked
        assertThat(answeredOn).allMatch(t -> t.equals("function-host-acme-out") || t.equals(caller));
        assertThat(answeredOn).contains("function-host-acme-out");
    }

    @Test
    void aCallThatWouldLeaveMoreThanAPageUnansweredIsNotSentWithoutWaitingButStillRuns() throws Exception {
        TenantHost host = warmHost("acme");
        Map<String, Object> big = Map.of("text", "x".repeat(HostProcess.UNBLOCKED_BYTES));

        assertThat(host.callLater("probe.echo", big)).isNull();
        assertThat(host.call("probe.echo", big).get("echo")).isEqualTo(big);
        assertThat(host.callLater("probe.echo", Map.of("n", 1)).answer().get(20, TimeUnit.SECONDS))
                .containsKey("echo");
    }

    @Test
    void aHostThatDiesWithDeferredCallsInFlightFailsEachAsAPlatformFailure() throws Exception {
        TenantHost host = warmHost("acme");
        long first = host.pids().get(0);
        List<DeferredCall> inFlight = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            inFlight.add(host.callLater("probe.nap", Map.of()));
        }
        inFlight.add(host.callLater("probe.halt", Map.of("millis", 300)));

        for (DeferredCall c : inFlight) {
            assertThatThrownBy(() -> c.answer().get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(HostFailure.class).hasMessageContaining("ended (exit status 7)")
                    .satisfies(e -> assertThat(ErrorClass.of(e)).isEqualTo(ErrorClass.PLATFORM));
        }
        assertThat(host.callLater("probe.echo", Map.of())).as("no warm host left").isNull();
        assertThat(host.call("probe.echo", Map.of())).containsKey("pid");
        assertThat(host.pids()).doesNotContain(first);
    }

    @Test
    void anOverrunKillsTheHostWithItsProcessTreeAndFailsTheCall() throws Exception {
        TenantHost host = warmHost("acme");
        ProcessHandle spinning = ProcessHandle.of(host.pids().get(0)).orElseThrow();
        DeferredCall spin = host.callLater("probe.spin", Map.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> spinning.descendants()
                .anyMatch(p -> p.info().command().orElse("").endsWith("sleep")));
        List<ProcessHandle> tree = new ArrayList<>(spinning.descendants().toList());
        tree.add(spinning);

        spin.overrun().accept("probe.spin overran its timeout");

        await().atMost(Duration.ofSeconds(10)).until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));
        assertThatThrownBy(() -> spin.answer().get(10, TimeUnit.SECONDS)).cause().isInstanceOf(HostFailure.class);
    }

    @Test
    void anOverrunKillsItsHostAtOnceEvenWhileAHostStartHoldsTheTenantsHosts() throws Exception {
        TenantHost host = warmHost("acme");
        ProcessHandle napping = ProcessHandle.of(host.pids().get(0)).orElseThrow();
        DeferredCall nap = host.callLater("probe.nap", Map.of());
        // The overrun is told on the worker's alarm thread, which serves every other call's timeout as well.
        Thread alarm = new Thread(() -> nap.overrun().accept("probe.nap overran its timeout"), "alarm");

        synchronized (host) { // as a host start holds it, for most of a second
            alarm.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> !napping.isAlive());
        }
        alarm.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(alarm.isAlive()).isFalse();
        assertThatThrownBy(() -> nap.answer().get(10, TimeUnit.SECONDS)).cause().isInstanceOf(HostFailure.class);
        assertThat(host.pids()).doesNotContain(napping.pid());
    }

    @Test
    void aHostThatReadsNothingCannotHoldUpTheThreadSendingToIt() throws Exception {
        HostProcess deaf = HostProcess.start("acme", List.of("sleep", "600"), spawner);
        closing.add(deaf::kill);
        Map<String, Object> args = Map.of("pad", "p".repeat(200));
        List<CompletableFuture<HostMessage>> sent = new ArrayList<>();

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int i = 0; i < 1000; i++) {
                CompletableFuture<HostMessage> c = deaf.callLater("probe.echo", args, Duration.ofMinutes(1));
                if (c == null) {
                    break;
                }
                sent.add(c);
            }
        });
        assertThat(sent).as("sent until a page was unanswered, then refused").hasSizeBetween(1, 20);

        deaf.kill();
        for (CompletableFuture<HostMessage> c : sent) {
            assertThatThrownBy(() -> c.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(HostFailure.class);
        }
    }

    @Test
    void aHostThatClosedItsStdinFailsTheCallThatFoundOutAndTheNextOnesAreNotSentWithoutWaiting() throws Exception {
        HostProcess closed = HostProcess.start("acme", List.of("sh", "-c", "exec 0<&-; sleep 600"), spawner);
        closing.add(closed::kill);
        List<CompletableFuture<HostMessage>> sent = new CopyOnWriteArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            CompletableFuture<HostMessage> c = closed.callLater("probe.echo", Map.of(), Duration.ofMinutes(1));
            if (c != null) {
                sent.add(c);
            }
            return c == null;
        });

        assertThat(sent).as("the call whose write failed").last()
                .satisfies(c -> assertThatThrownBy(() -> c.get(5, TimeUnit.SECONDS)).cause()
                        .isInstanceOf(HostFailure.class));
        assertThat(sent).noneMatch(c -> c.isDone() && !c.isCompletedExceptionally());
        assertThat(closed.alive()).isTrue();
        assertThat(closed.callLater("probe.echo", Map.of(), Duration.ofMinutes(1))).isNull();
        assertThatThrownBy(() -> closed.call("probe.echo", Map.of(), Duration.ofSeconds(10)))
                .isInstanceOf(HostFailure.class).hasMessageContaining("is gone");
    }

    @Test
    void throughTheWorkerATimedOutCallKillsItsHostAndTheCallsInFlightBesideItAreRetriedOnANewHost()
            throws Exception {
        TenantHost host = warmHost("acme");
        long first = host.pids().get(0);
        List<CallResult> results = new CopyOnWriteArrayList<>();
        QueuedInbox inbox = new QueuedInbox();
        FixedSlots slots = new FixedSlots(4, 16);
        FunctionWorker worker = new FunctionWorker(inbox, (tenant, name) ->
                Optional.<OrreryFunction>of(new HostedFunction(name, host)), results::addAll, 1, 4,
                Backoff.defaults(), "local", () -> slots);
        closing.add(0, worker);

        for (int i = 0; i < 3; i++) {
            inbox.add(call("nap" + i, "probe.nap", Map.of("millis", 3_000), 30_000, 3));
        }
        inbox.add(call("spin", "probe.spin", Map.of(), 1_000, 1));

        await().atMost(Duration.ofSeconds(60)).until(() -> results.size() == 4);
        CallResult spin = results.stream().filter(r -> r.instance().key().equals("spin")).findFirst().orElseThrow();
        assertThat(spin.error()).contains("probe.spin timed out after 1000 ms");
        assertThat(results).filteredOn(r -> r.instance().key().startsWith("nap"))
                .hasSize(3).allMatch(r -> !r.failed() && r.attempts() == 2, "succeeded on their second attempt");
        assertThat(host.pids()).doesNotContain(first);
    }

    private static OutboundCall call(String key, String function, Map<String, Object> args, long timeoutMs,
                                     int attempts) {
        return new OutboundCall(new InstanceId("acme", "wf", key), "c", "rule", CallKind.FUNCTION, function, args,
                null, 5, timeoutMs, attempts, null, 0, null);
    }
}
