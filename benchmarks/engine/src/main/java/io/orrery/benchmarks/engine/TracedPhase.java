package io.orrery.benchmarks.engine;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.api.engine.WorkflowModule;
import io.orrery.api.function.OrreryFunction;
import io.orrery.api.trace.TraceSpan;
import io.orrery.api.trace.Tracer;
import io.orrery.engine.internal.EngineCore;
import io.orrery.engine.internal.node.EngineNode;
import io.orrery.queue.internal.QueueOptions;
import io.orrery.queue.internal.ShardedQueueService;
import io.orrery.store.JdbcStore;
import io.orrery.trace.internal.SpanRecording;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.UUID;

/**
 * What tracing costs: the 5-rule workflow on one node ({@link EngineNode}, real queues and map, no instance store)
 * with tracing off and on, in alternating rounds on the same node. On, every request has its span (as the gateway
 * opens one), every firing and every queue wait is recorded by the trace bundle's own recording (the OpenTelemetry
 * SDK, the cluster's span map with its eviction, spans written behind to an H2 store).
 */
final class TracedPhase {

    private static final int ROUNDS = 2;

    private TracedPhase() {
    }

    /** Runs the rounds and answers the cost of tracing as a fraction of the untraced rate. */
    static double measure(WorkflowModule v1, OrreryFunction noop, int n) throws Exception {
        HazelcastInstance hz = Main.member();
        String tenant = "bench-traced";
        try (var spans = JdbcStore.open("jdbc:h2:mem:spans-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
             var queues = ShardedQueueService.start(hz, QueueOptions.DEFAULTS.withPersistence(
                     QueueOptions.Persistence.NONE), new SimpleMeterRegistry(), null);
             var node = EngineNode.start(hz, queues, null, new SimpleMeterRegistry(), EngineNode.Options.defaults()
                     .withPersistent(false).withSettings(Main.settings(true)).withResults(2, 256));
             var worker = NodeWorker.start(node, noop, 2, 64)) {
            SpanRecording recording = new SpanRecording(hz, spans, defaults());
            try {
                EngineCore engine = node.engine();
                engine.deploy(tenant, v1);
                engine.metrics().tracer(recording);
                run(engine, recording, tenant, Main.WARMUP, "warm-up (traced)");
                double off = 0;
                double on = 0;
                for (int round = 0; round < ROUNDS; round++) {
                    engine.metrics().tracer(Tracer.NOOP);
                    off += run(engine, Tracer.NOOP, tenant, n, "tracing off, round " + (round + 1));
                    engine.metrics().tracer(recording);
                    on += run(engine, recording, tenant, n, "tracing on, round " + (round + 1));
                }
                double cost = 1 - on / off;
                System.out.printf("tracing: off %.0f instances/s, on %.0f instances/s, cost %.1f %%%n",
                        off / ROUNDS, on / ROUNDS, cost * 100);
                return cost;
            } finally {
                recording.deactivate();
            }
        } finally {
            hz.shutdown();
        }
    }

    /** Like {@link Main#run}, each request under a span of its own as the gateway opens one; answers instances/s. */
    private static double run(EngineCore engine, Tracer tracer, String tenant, int n, String label) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        return Main.run(engine, n, label, i -> {
            try (TraceSpan request = tracer.start("POST /instances", tenant, null)) {
                engine.submit(new InstanceRequest(tenant, "bench", run + "-" + i, Map.of(), 5, request.context()));
            }
        })[0];
    }

    /**
     * The trace bundle's configuration with every attribute at its default, as a node without etc/ has it; but
     * {@code -DmaxSpans=<n>} sets the map's bound (to see what its eviction costs).
     */
    private static SpanRecording.Config defaults() {
        Integer maxSpans = Integer.getInteger("maxSpans");
        return (SpanRecording.Config) Proxy.newProxyInstance(SpanRecording.Config.class.getClassLoader(),
                new Class<?>[] {SpanRecording.Config.class}, (proxy, method, args) ->
                        method.getName().equals("maxSpans") && maxSpans != null ? maxSpans : method.getDefaultValue());
    }
}
