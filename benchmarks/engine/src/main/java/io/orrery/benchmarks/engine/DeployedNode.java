package io.orrery.benchmarks.engine;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.api.engine.InstanceView;
import io.orrery.api.engine.WorkflowModule;
import io.orrery.api.function.OrreryFunction;
import io.orrery.engine.internal.InstanceCodec;
import io.orrery.engine.internal.InstanceRecord;
import io.orrery.engine.internal.node.EngineNode;
import io.orrery.engine.internal.store.InstanceRows;
import io.orrery.queue.internal.QueueOptions;
import io.orrery.queue.internal.ShardedQueueService;
import io.orrery.store.JdbcStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The node as Karaf runs it ({@link EngineNode}: the engine and the result consumer, with the function worker on its
 * call port) on a Hazelcast member of its own, instances written behind to the store and the queues persisted to it,
 * as the distribution's defaults have them. Measures instances/s of the 5-rule workflow, a fan-out of 500 calls joined
 * by one rule, and a listing of 100,000 instances page by page.
 */
final class DeployedNode {

    static final String FANOUT = """
            workflow('fanout') {
                version 1
                input { optional 'width', Integer, 500 }
                rule('scatter') { match { state.got == null }
                                  action { (1..input.width).collect { i -> call 'noop', [n: i] } }
                                  reaction { r -> state.got = (state.got ?: 0) + 1; state.sum = (state.sum ?: 0) + r.n } }
                rule('join')    { match { state.got == input.width && !state.joined }
                                  action { call 'noop', [n: state.sum] }
                                  reaction { r -> state.joined = true; complete(output: [sum: r.n]) } }
            }
            """;

    /** What one deployed run measured. */
    record Figures(String store, double instancesPerSecond, long commitWaitMs, long fanOutMs, double pageMeanMs,
                   double pageP99Ms, double pageMaxMs, double scanPageMs) {
    }

    private DeployedNode() {
    }

    /**
     * @param url   the store's JDBC URL (an H2 file, as the distribution's default, or PostgreSQL)
     * @param label how the figures name the store
     */
    static Figures measure(String label, String url, String user, String password, WorkflowModule v1,
                           OrreryFunction noop, int n, int listed) throws Exception {
        HazelcastInstance hz = Main.member();
        String tenant = "bench-durable";
        try (var store = JdbcStore.open(url, user, password);
             // the distribution's queue configuration, shards sized to the cluster (io.orrery.queue shards = 0);
             // -Dbench.shards=N fixes the count, to compare (8 was the default before)
             var queues = ShardedQueueService.start(hz, QueueOptions.DEFAULTS.withShards(Integer.getInteger(
                     "bench.shards", QueueOptions.AUTO_SHARDS)), new SimpleMeterRegistry(), store);
             var node = EngineNode.start(hz, queues, store, new SimpleMeterRegistry(), EngineNode.Options.defaults()
                     .withSettings(Main.settings(true)).withResults(2, 256));
             var worker = NodeWorker.start(node, noop, 2, 64)) {
            node.engine().deploy(tenant, v1);
            Main.run(node.engine(), Main.WARMUP, "warm-up (as deployed, " + label + ")", tenant);
            double[] r = Main.run(node.engine(), n, "as deployed: write-behind to " + label, tenant);
            node.journal().flush();
            System.out.printf("%-40s %7d rows written, longest wait for a commit %d ms%n", "write-behind journal",
                    node.journal().written(), node.journal().maxLag().toMillis());
            long fanOut = fanOut(node, tenant);
            double[] pages = listing(node, store, tenant, v1, listed);
            return new Figures(label, r[0], node.journal().maxLag().toMillis(), fanOut, pages[0], pages[3], pages[1],
                    pages[2]);
        } finally {
            hz.shutdown();
        }
    }

    /** One instance whose first rule calls 500 functions and whose second joins them; the median of 3, in ms. */
    static long fanOut(EngineNode node, String tenant) throws Exception {
        node.engine().deploy(tenant, Main.compile(FANOUT));
        long[] took = new long[3];
        for (int i = 0; i < took.length + 1; i++) {
            var id = new InstanceId(tenant, "fanout", "wide-" + i);
            long t0 = System.nanoTime();
            node.engine().submit(InstanceRequest.of(tenant, "fanout", id.key(), Map.of()));
            InstanceView done = node.engine().awaitSettled(id, Duration.ofMinutes(2)).get();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (done.output() == null || ((Number) done.output().get("sum")).intValue() != 500 * 501 / 2) {
                throw new IllegalStateException("fan-out " + id + " did not join: " + done.status() + " " + done.state());
            }
            System.out.printf("%-40s %7d ms%n", i == 0 ? "fan-out 500 + join (warm-up)" : "fan-out 500 + join", ms);
            if (i > 0) {
                took[i - 1] = ms;
            }
        }
        Arrays.sort(took);
        return took[took.length / 2];
    }

    /**
     * {@code count} idle instances of one workflow, loaded straight into the map and the store, listed 100 at a time
     * from the first page to the last; answers {mean ms per page, slowest page ms, one page by full scan ms}.
     */
    static double[] listing(EngineNode node, JdbcStore store, String tenant, WorkflowModule v1, int count)
            throws Exception {
        InstanceRecord template = Main.completedRecord(v1);
        InstanceRows rows = new InstanceRows(store.dataSource());
        String workflow = "bench";
        String listed = tenant + "-listed";
        node.engine().deploy(listed, v1);
        long t0 = System.nanoTime();
        IdleCopies.load(template, listed, "item", count, 2_000, batch -> {
            node.map().putAll(batch);
            try {
                rows.write(batch.stream().map(x -> new InstanceRows.Row(listed + "/" + workflow + "/" + x.key, listed,
                        workflow, x.status.name(), x.revision, x.updatedAt, InstanceCodec.encode(x))).toList());
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        System.out.printf("loaded %d idle instances into the map and the store in %.1f s%n", count,
                (System.nanoTime() - t0) / 1e9);
        List<Long> took = new ArrayList<>();
        long seen = 0;
        String after = null;
        // Why the slowest page was slow: its place in the listing, and the JVM's collection time spent during it.
        long slowest = -1;
        int slowestAt = -1;
        long slowestGcMs = 0;
        long slowestWithoutGc = 0;
        for (int round = 0; round < 2; round++) { // the first round warms up
            took.clear();
            seen = 0;
            after = null;
            slowest = -1;
            slowestWithoutGc = 0;
            while (true) {
                long gc0 = collectionMillis();
                long p0 = System.nanoTime();
                List<InstanceView> page = node.engine().listAfter(listed, workflow, null, after, 100);
                long ns = System.nanoTime() - p0;
                long gcMs = collectionMillis() - gc0;
                took.add(ns);
                if (ns > slowest) {
                    slowest = ns;
                    slowestAt = took.size();
                    slowestGcMs = gcMs;
                }
                if (gcMs == 0) {
                    slowestWithoutGc = Math.max(slowestWithoutGc, ns);
                }
                seen += page.size();
                if (page.size() < 100) {
                    break;
                }
                after = page.get(page.size() - 1).id().key();
            }
        }
        if (seen != count) {
            throw new IllegalStateException("listed " + seen + " instances of " + count);
        }
        long s0 = System.nanoTime();
        node.engine().list(listed, workflow, null, count / 2, 100);
        double scanMs = (System.nanoTime() - s0) / 1e6;
        Collections.sort(took);
        double mean = took.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6;
        double p99 = took.get(Math.min(took.size() - 1, (int) Math.ceil(took.size() * 0.99) - 1)) / 1e6;
        double slowestMs = took.get(took.size() - 1) / 1e6;
        System.out.printf("%-40s %7d pages of 100: mean %.2f ms, p99 %.2f ms, slowest %.2f ms; one page by full scan"
                + " %.0f ms%n", "listing " + count + " instances", took.size(), mean, p99, slowestMs, scanMs);
        System.out.printf("%-40s page %d of %d, %d ms of garbage collection during it; slowest page without a"
                + " collection %.2f ms%n", "  slowest page", slowestAt, took.size(), slowestGcMs,
                slowestWithoutGc / 1e6);
        return new double[] {mean, slowestMs, scanMs, p99};
    }

    /** The collection time of every collector of this JVM so far, in ms. */
    private static long collectionMillis() {
        long ms = 0;
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, gc.getCollectionTime());
        }
        return ms;
    }

    static String h2File() throws Exception {
        var dir = java.nio.file.Files.createTempDirectory("orrery-engine-bench-");
        return "jdbc:h2:file:" + dir.resolve("store"); // the form of the distribution's default store
    }
}
