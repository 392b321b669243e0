package io.orrery.benchmarks.viewinghistory;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orrery.cluster.ClusterMembers;
import io.orrery.cluster.MemberSettings;
import io.orrery.queue.internal.QueueOptions;
import io.orrery.queue.internal.ShardedQueueService;
import io.orrery.store.JdbcStore;
import io.orrery.viewinghistory.internal.history.HistoryCache;
import io.orrery.viewinghistory.internal.history.HistoryTable;
import io.orrery.viewinghistory.internal.processor.DelayQueue;
import io.orrery.viewinghistory.internal.processor.ProcessorRoute;
import io.orrery.viewinghistory.internal.processor.ProcessorSettings;
import io.orrery.viewinghistory.internal.processor.SessionProcessor;
import io.orrery.viewinghistory.publisher.testing.KafkaBroker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The processor as the node runs it, on the embedded defaults (one Hazelcast member, an H2 file, the dev broker):
 * one set of parts, through which {@link #run} consumes one topic at a time with the node's route.
 */
final class Processor implements AutoCloseable {

    private final HazelcastInstance member;
    private final JdbcStore store;
    private final ShardedQueueService queues;
    private final CamelContext camel = new DefaultCamelContext();
    private final HistoryTable table;
    private final ProcessorSettings settings = ProcessorSettings.defaults();
    private final int consumers;
    private final int batch;

    Processor(String bootstrap, Path dir, int consumers, int batch) throws Exception {
        this.consumers = consumers;
        this.batch = batch;
        int port = KafkaBroker.freePort();
        member = ClusterMembers.start(new MemberSettings("orrery-vh-bench-" + UUID.randomUUID(), port,
                List.of("127.0.0.1:" + port), "127.0.0.1", 0, 0));
        store = JdbcStore.open("jdbc:h2:file:" + dir.resolve("store").toAbsolutePath(), "sa", "");
        store.migrate("viewinghistory", Processor.class.getClassLoader());
        table = new HistoryTable(store.dataSource());
        queues = ShardedQueueService.start(member,
                QueueOptions.DEFAULTS.withPersistence(QueueOptions.Persistence.NONE), new SimpleMeterRegistry(), null);
        KafkaComponent kafka = new KafkaComponent();
        kafka.getConfiguration().setBrokers(bootstrap);
        camel.addComponent("kafka", kafka);
        camel.start();
    }

    /**
     * Consumes {@code topic} (of {@code events} events in {@code sessions} sessions) from its start in a group of
     * its own, until every event is processed and every session written; events/s, timed from the route's start.
     */
    double run(String topic, String group, int events, int sessions) throws Exception {
        SessionProcessor processor = new SessionProcessor(member, table, new HistoryCache(member, table), settings,
                Clock.systemUTC());
        DelayQueue delays = new DelayQueue(queues, settings, Clock.systemUTC());
        String bootstrap = ((KafkaComponent) camel.getComponent("kafka")).getConfiguration().getBrokers();
        List<String> before = camel.getRoutes().stream().map(Route::getRouteId).toList();
        long start = System.nanoTime();
        camel.addRoutes(new ProcessorRoute(processor, delays, new ProcessorRoute.Source(topic, group, bootstrap, null,
                consumers, batch), Duration.ofMinutes(5)));
        long deadline = start + TimeUnit.MINUTES.toNanos(10);
        long firstBatch = 0;
        long lastTick = -1;
        while ((processor.processedCount() < events || processor.writtenCount() < sessions)
                && System.nanoTime() < deadline) {
            if (firstBatch == 0 && processor.processedCount() > 0) {
                firstBatch = System.nanoTime();
            }
            if (Boolean.getBoolean("vh.progress") && (System.nanoTime() - start) / 250_000_000L != lastTick) {
                lastTick = (System.nanoTime() - start) / 250_000_000L;
                System.out.printf(Locale.ROOT, "progress %d ms: processed %d written %d%n",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), processor.processedCount(),
                        processor.writtenCount());
            }
            TimeUnit.MILLISECONDS.sleep(5); // polling a counter, not synchronising with it
        }
        long end = System.nanoTime();
        // The raw consumer's clock starts at its first records; this one at the route's start, which includes
        // joining the group: shown, so the two can be told apart.
        System.out.printf(Locale.ROOT, "processor (%s): first batch processed %d ms after the route started%n",
                topic, TimeUnit.NANOSECONDS.toMillis(firstBatch - start));
        if (processor.processedCount() < events) {
            throw new IllegalStateException("processed only " + processor.processedCount() + " of " + events);
        }
        for (Route route : List.copyOf(camel.getRoutes())) {
            if (!before.contains(route.getRouteId())) {
                camel.getRouteController().stopRoute(route.getRouteId());
                camel.removeRoute(route.getRouteId());
            }
        }
        sweep(processor);
        return events / ((end - start) / 1e9);
    }

    /** Times one idle sweep over every session the grid retains so far (each run's and the warm-up's). */
    private static void sweep(SessionProcessor processor) {
        long start = System.nanoTime();
        int written = processor.closeIdle();
        System.out.printf(Locale.ROOT, "idle sweep: %.1f ms with %d sessions retained, %d visited, %d written%n",
                (System.nanoTime() - start) / 1e6, processor.openSessions(), processor.sweptCount(), written);
    }

    @Override
    public void close() {
        camel.stop();
        queues.close();
        member.getLifecycleService().terminate();
        store.close();
    }
}
