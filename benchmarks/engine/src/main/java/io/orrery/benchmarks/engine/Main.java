package io.orrery.benchmarks.engine;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orrery.api.engine.CallResult;
import io.orrery.api.engine.DeployReport;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.api.engine.WorkflowModule;
import io.orrery.api.function.CallInbox;
import io.orrery.api.function.OrreryFunction;
import io.orrery.api.queue.Backoff;
import io.orrery.cluster.ClusterMembers;
import io.orrery.cluster.MemberSettings;
import io.orrery.emirax.EmiraxCompiler;
import io.orrery.emirax.EmiraxSource;
import io.orrery.engine.internal.CallDispatch;
import io.orrery.engine.internal.EngineCore;
import io.orrery.engine.internal.EngineSettings;
import io.orrery.engine.internal.InstanceRecord;
import io.orrery.engine.internal.InstanceTable;
import io.orrery.engine.internal.MemoryCallPort;
import io.orrery.engine.internal.MemoryInstanceTable;
import io.orrery.engine.internal.hazelcast.HazelcastInstanceTable;
import io.orrery.engine.internal.queue.QueueCallPort;
import io.orrery.engine.internal.queue.QueueWaits;
import io.orrery.engine.internal.queue.ResultConsumer;
import io.orrery.functions.internal.worker.FunctionWorker;
import io.orrery.queue.internal.QueueOptions;
import io.orrery.queue.internal.ShardedQueueService;
import io.orrery.store.testing.PostgresServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The engine benchmark. Phase 1: N instances of a 5-rule workflow (each rule one no-op call) run to completion,
 * first all in memory (the baseline: in-memory port, local map), then on one Hazelcast member with calls and results
 * through the real queues ({@link ShardedQueueService}) and state in the real map, then on the node as deployed
 * ({@link DeployedNode}: an H2 file store, and PostgreSQL with {@code -Dpostgres=true}), with a 500-call fan-out
 * and a listing page by page. Phase 2: 100,000 idle, completed instances in the map, a new version deployed, every
 * instance re-evaluated (always on), with dependency tracking and, for comparison, without. Between them the cost
 * of tracing ({@link TracedPhase}).
 * Args: [instances] [idle instances] [listed instances]; or {@code memory [count]}, {@link IdleMemory}; or
 * {@code deployed [instances]} or {@code traced [instances]}, one phase alone (to profile it).
 */
public final class Main {

    static final String TENANT = "bench";
    static final int WINDOW = Integer.getInteger("window", 256);
    /**
     * Instances run before every measured phase, the same for each ({@code -Dwarmup=N}; 2,000 as in every earlier
     * recorded run).
     */
    static final int WARMUP = Integer.getInteger("warmup", 2_000);
    /** {@code -Drates=true}: print the instances completed in each second of every run, to see the JIT settle. */
    static final boolean RATES = Boolean.getBoolean("rates");

    static final String V1 = """
            workflow('bench') {
                version 1
                input { optional 'size', Integer, 1 }
                rule('r1') { match { !state.a }             ; action { call 'noop', [n: 1] }; reaction { r -> state.a = r.n } }
                rule('r2') { match { state.a && !state.b }  ; action { call 'noop', [n: 2] }; reaction { r -> state.b = r.n } }
                rule('r3') { match { state.b && !state.c }  ; action { call 'noop', [n: 3] }; reaction { r -> state.c = r.n } }
                rule('r4') { match { state.c && !state.d }  ; action { call 'noop', [n: 4] }; reaction { r -> state.d = r.n } }
                rule('r5') { match { state.d && !state.done }; action { call 'noop', [n: 5] }
                             reaction { r -> state.done = true; complete(output: [sum: state.a + state.b + state.c + state.d + r.n]) } }
            }
            """;

    /** The node's default pause between partial claims, on the store-less real path too. */
    static final Duration LINGER = io.orrery.engine.internal.node.EngineNode.Options.defaults().claimLinger();

    static final OrreryFunction NOOP = new OrreryFunction() {
        public String name() { return "noop"; }
        public Map<String, Object> apply(Map<String, Object> a) { return a; }
    };

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("memory")) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
            IdleMemory.measure(compile(V1), args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000);
            System.exit(0);
        }
        if (args.length > 0 && args[0].equals("deployed")) { // the deployed phase alone, to profile it
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
            int n = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
            int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 1; // later rounds run on a warmer JIT
            for (int r = 0; r < rounds; r++) {
                DeployedNode.measure("H2", DeployedNode.h2File(), "sa", "", compile(V1), NOOP, n, 1_000);
            }
            System.exit(0);
        }
        if (args.length > 0 && args[0].equals("traced")) { // the tracing phase alone, to profile it
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
            TracedPhase.measure(compile(V1), NOOP, args.length > 1 ? Integer.parseInt(args[1]) : 20_000);
            System.exit(0);
        }
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int idle = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int listed = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        WorkflowModule v1 = compile(V1);
        OrreryFunction noop = NOOP;

        // Baseline: the same engine and worker, all in memory.
        double baseline;
        {
            var port = new MemoryCallPort(Clock.systemUTC());
            var table = new MemoryInstanceTable();
            try (var engine = new EngineCore(settings(true), table, port, null, Clock.systemUTC());
                 var worker = new FunctionWorker(port, (t, f) -> Optional.of(noop), rs -> rs.forEach(engine::deliver), 2, 64,
                         Backoff.defaults())) {
                engine.deploy(TENANT, v1);
                run(engine, WARMUP, "warm-up (memory)");
                baseline = run(engine, n, "baseline: in-memory port + local map")[0];
            }
        }

        HazelcastInstance hz = member();
        try {
            var queues = ShardedQueueService.start(hz, QueueOptions.DEFAULTS.withPersistence(
                    QueueOptions.Persistence.NONE), new SimpleMeterRegistry(), null);
            var table = new HazelcastInstanceTable(hz);
            var port = new QueueCallPort(queues, Clock.systemUTC());
            double[] real;
            try (var engine = new EngineCore(settings(true), table, port, new SimpleMeterRegistry(), Clock.systemUTC());
                 var worker = new FunctionWorker(port, (t, f) -> Optional.of(noop), port::sendResults, 2,
                         64, Backoff.defaults());
                 var results = new ResultConsumer(queues, engine, 2, 256, "bench", LINGER, QueueWaits.NONE)) {
                worker.claimLinger(LINGER);
                engine.deploy(TENANT, v1);
                run(engine, WARMUP, "warm-up (queues + Hazelcast)");
                real = run(engine, n, "real queues + Hazelcast map");
            }
            withoutTracking(queues, table, port, v1, noop, n);
            TracedPhase.measure(v1, noop, n);
            List<DeployedNode.Figures> deployed = new ArrayList<>();
            deployed.add(DeployedNode.measure("H2", DeployedNode.h2File(), "sa", "", v1, noop, n, listed));
            if (Boolean.getBoolean("postgres")) {
                try (var pg = PostgresServer.start()) {
                    deployed.add(DeployedNode.measure("PostgreSQL", pg.createDatabase("bench"), pg.user(),
                            pg.password(), v1, noop, n, listed));
                }
            }
            double reeval = reevaluation(table, idle, v1);
            System.out.printf("in memory (baseline) %.0f instances/s; queues + Hazelcast, no store %.0f instances/s%n",
                    baseline, real[0]);
            for (DeployedNode.Figures f : deployed) {
                System.out.printf("as deployed with %s: %.0f instances/s (ratio %.2f), longest commit wait %d ms,"
                        + " fan-out 500 in %d ms, listing pages mean %.2f ms / p99 %.2f ms / slowest %.2f ms (full scan:"
                        + " %.0f ms)%n", f.store(), f.instancesPerSecond(), f.instancesPerSecond() / baseline,
                        f.commitWaitMs(), f.fanOutMs(), f.pageMeanMs(), f.pageP99Ms(), f.pageMaxMs(), f.scanPageMs());
            }
            DeployedNode.Figures h2 = deployed.get(0);
            System.out.printf("engine: %.0f instances/s as deployed, baseline %.0f instances/s, ratio %.2f, fan-out 500"
                    + " in %d ms, reevaluation %.0f instances/s%n", h2.instancesPerSecond(), baseline,
                    h2.instancesPerSecond() / baseline, h2.fanOutMs(), reeval);
            queues.close();
        } finally {
            hz.shutdown();
        }
        System.exit(0);
    }

    /** Forward chaining without dependency tracking, on the same real parts, to show what tracking saves. */
    static void withoutTracking(ShardedQueueService queues, InstanceTable table, QueueCallPort port, WorkflowModule v1,
                                OrreryFunction noop, int n) throws Exception {
        try (var engine = new EngineCore(settings(false), table, port, new SimpleMeterRegistry(), Clock.systemUTC());
             var worker = new FunctionWorker(port, (t, f) -> Optional.of(noop), port::sendResults, 2, 64,
                     Backoff.defaults());
             var results = new ResultConsumer(queues, engine, 2, 256, "bench", LINGER, QueueWaits.NONE)) {
            worker.claimLinger(LINGER);
            engine.deploy(TENANT + "-untracked", v1);
            run(engine, n / 2, "real, dependency tracking OFF", TENANT + "-untracked");
        }
    }

    static double[] run(EngineCore engine, int n, String label) throws Exception {
        return run(engine, n, label, TENANT);
    }

    /** Submits n instances of the tenant's "bench" workflow; see {@link #run(EngineCore, int, String, IntConsumer)}. */
    static double[] run(EngineCore engine, int n, String label, String tenant) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        return run(engine, n, label, i -> engine.submit(InstanceRequest.of(tenant, "bench", run + "-" + i, Map.of())));
    }

    /**
     * Has {@code submit} send instances 0 to n-1 from two threads and waits until all completed; answers
     * {instances/s, firings/s}.
     */
    static double[] run(EngineCore engine, int n, String label, IntConsumer submit) throws Exception {
        long c0 = engine.completions();
        long f0 = engine.firings();
        long m0 = engine.matchesEvaluated();
        long t0 = System.nanoTime();
        ExecutorService submitters = Executors.newFixedThreadPool(2);
        for (int s = 0; s < 2; s++) {
            int from = s;
            submitters.execute(() -> {
                for (int i = from; i < n; i += 2) {
                    // Keep at most WINDOW instances in flight, as an upstream with back-pressure would.
                    while (i - (engine.completions() - c0) > WINDOW) {
                        java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                    }
                    submit.accept(i);
                }
            });
        }
        submitters.shutdown();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        StringBuilder perSecond = new StringBuilder(); // instances completed in each second of the run
        long second = t0 + 1_000_000_000L;
        long atSecond = c0;
        while (engine.completions() - c0 < n && System.nanoTime() < deadline) {
            Thread.sleep(5); // a benchmark polling its own counter, not a test synchronising
            if (System.nanoTime() >= second) {
                long c = engine.completions();
                perSecond.append(perSecond.isEmpty() ? "" : " ").append(c - atSecond);
                atSecond = c;
                second += 1_000_000_000L;
            }
        }
        submitters.awaitTermination(1, TimeUnit.MINUTES); // all submitted: every instance has completed
        double secs = (System.nanoTime() - t0) / 1e9;
        long done = engine.completions() - c0;
        long fired = engine.firings() - f0;
        long matched = engine.matchesEvaluated() - m0;
        System.out.printf("%-40s %7d instances in %6.2f s: %8.0f instances/s, %8.0f firings/s, %.1f matches/instance%n",
                label, done, secs, done / secs, fired / secs, (double) matched / Math.max(1, done));
        if (RATES) {
            System.out.printf("%-40s %s%n", "  per second", perSecond);
        }
        return new double[] {done / secs, fired / secs};
    }

    /** 100,000 idle completed instances in the map; deploy v2 (one new rule) and re-evaluate all of them. */
    static double reevaluation(HazelcastInstanceTable table, int idle, WorkflowModule v1) throws Exception {
        InstanceRecord template = completedRecord(v1);
        long t0 = System.nanoTime();
        IdleCopies.load(template, "reeval", "idle", idle, 2_000, table::putAll);
        System.out.printf("loaded %d idle instances into the map in %.1f s%n", idle, (System.nanoTime() - t0) / 1e9);
        // Version 2 adds one rule; the five unchanged rules keep their fingerprints and are not re-evaluated.
        String v2 = V1.replace("version 1", "version 2").replaceFirst("}\\s*$",
                "    rule('archive') { match { state.done && input.size > 1_000_000 }; action { call 'noop', [n: 6] } }\n}\n");
        double tracked = deploy(table, compile(v2), true, "deploy v2, dependency tracking ON ");
        String v3 = v2.replace("version 2", "version 3");
        deploy(table, compile(v3), false, "deploy v3, dependency tracking OFF");
        return tracked;
    }

    static double deploy(InstanceTable table, WorkflowModule module, boolean tracking, String label) {
        CallDispatch none = calls -> { };
        try (var engine = new EngineCore(settings(tracking), table, none, null, Clock.systemUTC())) {
            engine.registry().install(io.orrery.engine.internal.DeployedWorkflow.of("reeval",
                    compile(V1).workflows().get(0)));
            long t0 = System.nanoTime();
            List<DeployReport> r = engine.deploy("reeval", module);
            double secs = (System.nanoTime() - t0) / 1e9;
            long n = r.get(0).reevaluated();
            System.out.printf("%s: %d instances re-evaluated in %.2f s: %.0f instances/s, %.2f matches/instance,"
                    + " fired %s%n", label, n, secs, n / secs, (double) engine.matchesEvaluated() / n, r.get(0).fired());
            return n / secs;
        }
    }

    static InstanceRecord completedRecord(WorkflowModule v1) throws Exception {
        var port = new MemoryCallPort(Clock.systemUTC());
        var table = new MemoryInstanceTable();
        try (var engine = new EngineCore(settings(true).withLanes(0), table, port, null, Clock.systemUTC())) {
            engine.deploy("reeval", v1);
            engine.submit(InstanceRequest.of("reeval", "bench", "template", Map.of()));
            for (List<CallInbox.ClaimedCall> c; !(c = port.claim(10, Duration.ZERO)).isEmpty(); ) {
                c.forEach(x -> engine.deliver(CallResult.success(x.call().instance(), x.call().callId(),
                        x.call().args(), 1)));
            }
            InstanceRecord[] found = new InstanceRecord[1];
            Consumer<List<InstanceRecord>> take = b -> found[0] = b.get(0);
            table.scan("reeval", "bench", 1, take);
            return found[0];
        }
    }

    static EngineSettings settings(boolean tracking) {
        return EngineSettings.defaults().withLanes(2).withDependencyTracking(tracking);
    }

    static WorkflowModule compile(String text) {
        return new EmiraxCompiler().compile(List.of(new EmiraxSource("bench.groovy", text)))
                .load(Main.class.getClassLoader());
    }

    static HazelcastInstance member() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // Started as a node starts its member (ClusterMembers): the same configuration and completion threads.
        return ClusterMembers.start(new MemberSettings("orrery-engine-bench-" + UUID.randomUUID(), port,
                List.of("127.0.0.1:" + port), "127.0.0.1", 1, 0));
    }
}
