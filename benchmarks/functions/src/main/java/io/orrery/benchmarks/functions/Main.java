package io.orrery.benchmarks.functions;

import io.orrery.api.function.OrreryFunction;
import io.orrery.functions.internal.host.HostEvents;
import io.orrery.functions.internal.host.HostLauncher;
import io.orrery.functions.internal.host.HostSettings;
import io.orrery.functions.internal.host.HostedFunction;
import io.orrery.functions.internal.host.Sandbox;
import io.orrery.functions.internal.host.TenantHost;
import io.orrery.functions.internal.host.WarmSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The functions benchmark, in one run on one machine, every call through the node's function worker:
 * <ol>
 *   <li>No-op throughput: a platform function in the server beside the same no-op in a tenant's function host (a
 *       separate JVM, under bubblewrap when it is installed), {@code --calls} calls waiting at once, {@code --slots}
 *       slots.</li>
 *   <li>Micro-batching: a function with a fixed cost per invocation ({@code --start-ms}) called one at a time,
 *       then in batches of {@code --batch}, in 4 slots.</li>
 *   <li>First call: a function kept warm (its host started and warmed up at deploy) against one with no warm
 *       capacity, whose first call starts its host.</li>
 * </ol>
 * Each figure is the median of {@code --rounds} rounds after discarded warm-up rounds ({@code --warm-up-rounds}
 * of the no-op phase on each side, one of the others); the bars the issue sets are
 * checked and printed before the summary line. {@code --no-op-only} runs the first phase alone (for profiling).
 */
public final class Main {

    /**
     * Discarded no-op rounds on each side before the measured ones ({@code --warm-up-rounds}): with one, both the
     * node's and the host's rates still climbed from round to round (their JITs at work), so that the ratio swung
     * with whichever side had warmed more.
     */
    static final int WARM_UP_ROUNDS = 5;

    private final int calls;
    private final int rounds;
    private final int warmUpRounds;
    private final int slots;
    private final int batch;
    private final int startMillis;
    private final int costCalls;
    private final Path hostHome;
    private final boolean noOpOnly;

    private Main(String[] args) {
        calls = intArg(args, "--calls", 20_000);
        rounds = intArg(args, "--rounds", 3);
        warmUpRounds = intArg(args, "--warm-up-rounds", WARM_UP_ROUNDS);
        slots = intArg(args, "--slots", 8);
        batch = intArg(args, "--batch", 16);
        startMillis = intArg(args, "--start-ms", 2);
        costCalls = intArg(args, "--cost-calls", 2_000);
        hostHome = Path.of(stringArg(args, "--host-home", "bundles/function-host/target/function-host"));
        noOpOnly = List.of(args).contains("--no-op-only");
    }

    public static void main(String[] args) throws Exception {
        new Main(args).run();
        System.exit(0);
    }

    private void run() throws Exception {
        Path root = Files.createTempDirectory("orrery-functions-bench");
        Sandbox sandbox = Sandbox.detect(null);
        HostLauncher launcher = new HostLauncher(new HostSettings(hostHome, 256, root.resolve("hosts"), List.of(),
                Duration.ofSeconds(60), Duration.ofMinutes(5)), sandbox);
        System.out.printf(Locale.ROOT, "function hosts: %s; %d calls, %d slots, %d rounds after %d warm-up "
                + "rounds%n", sandbox.status(), calls, slots, rounds, warmUpRounds);

        TenantHost bench = deploy(launcher, "bench", 1, Duration.ofMinutes(5));
        OrreryFunction inServer = new NoOp();
        OrreryFunction hosted = new HostedFunction(NoOp.NAME, bench);
        double[] server = new double[rounds];
        double[] host = new double[rounds];
        // Both sides alike, alternating as the measured rounds do: until both JVMs (the node's, the host's) have
        // compiled their hot paths.
        for (int r = 0; r < warmUpRounds; r++) {
            WorkerRun.throughput(inServer, "bench", calls, slots);
            WorkerRun.throughput(hosted, "bench", calls, slots);
        }
        long hostCpu = 0;
        long nodeCpu = 0;
        for (int r = 0; r < rounds; r++) {
            server[r] = WorkerRun.throughput(inServer, "bench", calls, slots);
            long nodeBefore = cpuNanos(ProcessHandle.current().pid());
            long hostBefore = treeCpuNanos(bench.pids().get(0));
            host[r] = WorkerRun.throughput(hosted, "bench", calls, slots);
            nodeCpu += cpuNanos(ProcessHandle.current().pid()) - nodeBefore;
            hostCpu += treeCpuNanos(bench.pids().get(0)) - hostBefore;
            System.out.printf(Locale.ROOT, "  round %d: no-op in the server %.0f calls/s, in a tenant host %.0f "
                    + "calls/s%n", r + 1, server[r], host[r]);
        }
        double batchedServer = WorkerRun.throughput(inServer, "bench", calls, slots, batch);
        double batchedHost = WorkerRun.throughput(hosted, "bench", calls, slots, batch);
        System.out.printf(Locale.ROOT, "  no-op in batches of %d (batch.%s): in the server %.0f calls/s, in a tenant "
                + "host %.0f calls/s (%.2fx)%n", batch, NoOp.NAME, batchedServer, batchedHost,
                batchedHost / batchedServer);
        System.out.printf(Locale.ROOT, "  CPU per hosted no-op call: node %.1f us, host %.1f us%n",
                nodeCpu / 1e3 / ((double) calls * rounds), hostCpu / 1e3 / ((double) calls * rounds));
        bench.close();
        if (noOpOnly) {
            double s = median(server);
            double h = median(host);
            System.out.printf(Locale.ROOT, "no-op: in the server %.0f calls/s, in a tenant host %.0f calls/s "
                    + "(%.2fx)%n", s, h, h / s);
            return;
        }

        double[] single = new double[rounds];
        double[] batched = new double[rounds];
        WorkerRun.throughput(new StartCost(startMillis, batch), "bench", costCalls, 4);
        for (int r = 0; r < rounds; r++) {
            single[r] = WorkerRun.throughput(new StartCost(startMillis, 1), "bench", costCalls, 4);
            batched[r] = WorkerRun.throughput(new StartCost(startMillis, batch), "bench", costCalls, 4);
            System.out.printf(Locale.ROOT, "  round %d: %d ms start cost, one call each %.0f calls/s, batches of %d "
                    + "%.0f calls/s%n", r + 1, startMillis, single[r], batch, batched[r]);
        }

        double[] warm = new double[rounds];
        double[] cold = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            TenantHost w = deploy(launcher, "warm" + r, 1, Duration.ofMinutes(5));
            TenantHost c = deploy(launcher, "cold" + r, 0, Duration.ZERO);
            c.upkeep(); // no warm capacity and idle: its host stops, so the first call starts one
            warm[r] = WorkerRun.firstCall(new HostedFunction(NoOp.NAME, w), "warm" + r);
            cold[r] = WorkerRun.firstCall(new HostedFunction(NoOp.NAME, c), "cold" + r);
            System.out.printf(Locale.ROOT, "  round %d: first call warm %.1f ms, cold %.1f ms%n", r + 1, warm[r],
                    cold[r]);
            w.close();
            c.close();
        }

        double s = median(server);
        double h = median(host);
        double one = median(single);
        double many = median(batched);
        double w = median(warm);
        double c = median(cold);
        System.out.printf(Locale.ROOT, "no-op: in the server %.0f calls/s, in a tenant host %.0f calls/s (%.2fx)%n",
                s, h, h / s);
        System.out.printf(Locale.ROOT, "%d ms start cost: one call each %.0f calls/s, batches of %d %.0f calls/s "
                + "(%.1fx)%n", startMillis, one, batch, many, many / one);
        bar("warm first call at least 10x faster than cold", c / w >= 10, String.format(Locale.ROOT, "%.1fx", c / w));
        bar("batches of " + batch + " at least 3x the single-call throughput", many / one >= 3,
                String.format(Locale.ROOT, "%.1fx", many / one));
        bar("no-op in a tenant host at least 0.5x the in-server function", h / s >= 0.5,
                String.format(Locale.ROOT, "%.2fx", h / s));
        System.out.printf(Locale.ROOT, "functions: %.0f calls/s no-op, batch %d gives %.0f calls/s, warm first-call "
                + "%.1f ms vs cold %.1f ms%n", h, batch, many, w, c);
    }

    private static TenantHost deploy(HostLauncher launcher, String tenant, int warm, Duration idle) throws Exception {
        Path jar = TenantJar.write(launcher.tenantDirectory(tenant).resolve("bundles"), tenant);
        TenantHost host = new TenantHost(tenant, launcher, names -> { },
                new WarmSettings(Map.of(NoOp.NAME, warm), idle), HostEvents.NONE);
        host.deploy(List.of(jar));
        return host;
    }

    // The host's pid is bubblewrap's when the sandbox is on: its JVM is a descendant.
    private static long treeCpuNanos(long pid) {
        return cpuNanos(pid) + ProcessHandle.of(pid).stream().flatMap(ProcessHandle::descendants)
                .mapToLong(p -> cpuNanos(p.pid())).sum();
    }

    private static long cpuNanos(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).map(Duration::toNanos).orElse(0L);
    }

    private static void bar(String what, boolean met, String figure) {
        System.out.printf(Locale.ROOT, "bar: %s: %s (%s)%n", what, met ? "met" : "NOT met", figure);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static int intArg(String[] args, String name, int otherwise) {
        String v = stringArg(args, name, null);
        return v == null ? otherwise : Integer.parseInt(v);
    }

    private static String stringArg(String[] args, String name, String otherwise) {
        List<String> list = new ArrayList<>(Arrays.asList(args));
        int i = list.indexOf(name);
        return i >= 0 && i + 1 < list.size() ? list.get(i + 1) : otherwise;
    }
}
