package io.orrery.benchmarks.viewinghistory;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orrery.cluster.ClusterMembers;
import io.orrery.cluster.MemberSettings;
import io.orrery.queue.internal.QueueOptions;
import io.orrery.queue.internal.ShardedQueueService;
import io.orrery.store.JdbcStore;
import io.orrery.viewinghistory.internal.event.EventCodec;
import io.orrery.viewinghistory.internal.event.EventType;
import io.orrery.viewinghistory.internal.event.PlaybackEvent;
import io.orrery.viewinghistory.internal.history.HistoryCache;
import io.orrery.viewinghistory.internal.history.HistoryTable;
import io.orrery.viewinghistory.internal.processor.DelayQueue;
import io.orrery.viewinghistory.internal.processor.ProcessorRoute;
import io.orrery.viewinghistory.internal.processor.ProcessorSettings;
import io.orrery.viewinghistory.internal.processor.SessionProcessor;
import io.orrery.viewinghistory.publisher.testing.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The viewing-history processor end to end against a raw {@code KafkaConsumer}, in one run on the embedded defaults:
 * the dev broker (forked, from {@code kafka-dev/target/lib}), one Hazelcast member, an H2 file.
 *
 * <ol>
 *   <li>{@code --events} playback events ({@code --per-session} per session, in order)
 *       are preloaded into a topic of {@code --partitions} partitions.</li>
 *   <li>Baseline: a raw consumer in a fresh group reads the whole topic (bytes only, no parsing), three times: the
 *       median records/s.</li>
 *   <li>Orrery: the processor's route (as the node runs it, {@code --consumers} consumers, batches of
 *       {@code --batch}) consumes the topic from the start; timed until every event is processed and every session
 *       written to the store: events/s end to end.</li>
 * </ol>
 */
public final class Main {

    private static final int RAW_READS = 3;

    private final int events;
    private final int perSession;
    private final int partitions;
    private final int consumers;
    private final int batch;

    private Main(String[] args) {
        // 400,000: long enough that the consumer group's join and the JIT's warm-up (about a second) do not
        // dominate the processor's figure, as they did with 200,000.
        events = intArg(args, "--events", 400_000);
        perSession = intArg(args, "--per-session", 20);
        partitions = intArg(args, "--partitions", 6);
        consumers = intArg(args, "--consumers", 2);
        batch = intArg(args, "--batch", 2000);
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("orrery.kafka.dev.lib") == null) {
            System.setProperty("orrery.kafka.dev.lib", "kafka-dev/target/lib");
        }
        new Main(args).run();
        System.exit(0);
    }

    private void run() throws Exception {
        Path dir = Files.createTempDirectory("orrery-vh-bench");
        String topic = "vh-bench";
        try (KafkaBroker broker = KafkaBroker.start()) {
            broker.createTopic(topic, partitions);
            int sessions = preload(broker.bootstrap(), topic);
            System.out.printf("viewing-history benchmark: %d events, %d sessions, %d partitions, %d consumer(s), "
                    + "batch %d, %d cores%n", events, sessions, partitions, consumers, batch,
                    Runtime.getRuntime().availableProcessors());
            double raw = rawBaseline(broker.bootstrap(), topic);
            double orrery = processor(broker.bootstrap(), topic, sessions, dir);
            System.out.printf(Locale.ROOT, "processor: %.0f events/s end-to-end%n", orrery);
            System.out.printf(Locale.ROOT, "viewing-history: %.0f events/s end-to-end, raw consumer %.0f records/s, "
                    + "ratio %.2f%n", orrery, raw, orrery / raw);
        }
    }

    /** Writes the events; how many sessions they make. */
    private int preload(String bootstrap, String topic) {
        Random random = new Random(1);
        int sessions = 0;
        int written = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
                "linger.ms", "10", "batch.size", String.valueOf(256 * 1024), "acks", "1",
                "enable.idempotence", "false"), new ByteArraySerializer(), new ByteArraySerializer())) {
            while (written < events) {
                String session = "bench-s" + sessions;
                String user = "bench-u" + (sessions % 5000);
                long ts = 1_700_000_000_000L + sessions * 1000L;
                long position = 0;
                for (int i = 0; i < perSession && written < events; i++, written++) {
                    EventType type = i == 0 ? EventType.START : i == perSession - 1 ? EventType.STOP
                            : EventType.HEARTBEAT;
                    position += 10_000 + random.nextInt(1000);
                    PlaybackEvent e = new PlaybackEvent(session + "-e" + i, session, user, "t" + random.nextInt(500),
                            type, i, position, ts + i * 10_000L, "tv", false);
                    producer.send(new ProducerRecord<>(topic, EventCodec.write(e)));
                }
                sessions++;
            }
            producer.flush();
        }
        return sessions;
    }

    /**
     * The median of {@value #RAW_READS} raw reads of the whole topic, each in a fresh group: one read takes a second or
     * two, and single reads of the same topic moved 2.5× between runs.
     */
    private double rawBaseline(String bootstrap, String topic) {
        double[] reads = new double[RAW_READS];
        for (int i = 0; i < reads.length; i++) {
            reads[i] = rawConsumer(bootstrap, topic);
            System.out.printf(Locale.ROOT, "raw consumer, read %d: %.0f records/s%n", i + 1, reads[i]);
        }
        Arrays.sort(reads);
        double median = reads[reads.length / 2];
        System.out.printf(Locale.ROOT, "raw consumer: %.0f records/s (median of %d reads)%n", median, reads.length);
        return median;
    }

    private double rawConsumer(String bootstrap, String topic) {
        Map<String, Object> props = Map.of("bootstrap.servers", bootstrap, "group.id", "raw-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest", "enable.auto.commit", "false", "max.poll.records", "5000");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long count = 0;
            long start = 0;
            while (count < events) {
                var records = consumer.poll(Duration.ofMillis(500));
                if (start == 0 && !records.isEmpty()) {
                    start = System.nanoTime();
                }
                count += records.count();
            }
            return events / ((System.nanoTime() - start) / 1e9);
        }
    }

    private double processor(String bootstrap, String topic, int sessions, Path dir) throws Exception {
        int port = KafkaBroker.freePort();
        HazelcastInstance member = ClusterMembers.start(new MemberSettings("orrery-vh-bench-" + UUID.randomUUID(),
                port, List.of("127.0.0.1:" + port), "127.0.0.1", 0, 0));
        JdbcStore store = JdbcStore.open("jdbc:h2:file:" + dir.resolve("store").toAbsolutePath(), "sa", "");
        ShardedQueueService queues = ShardedQueueService.start(member,
                QueueOptions.DEFAULTS.withPersistence(QueueOptions.Persistence.NONE), new SimpleMeterRegistry(), null);
        CamelContext camel = new DefaultCamelContext();
        try {
            store.migrate("viewinghistory", Main.class.getClassLoader());
            ProcessorSettings settings = ProcessorSettings.defaults();
            HistoryTable table = new HistoryTable(store.dataSource());
            SessionProcessor processor = new SessionProcessor(member, table, new HistoryCache(member, table),
                    settings, Clock.systemUTC());
            DelayQueue delays = new DelayQueue(queues, settings, Clock.systemUTC());
            KafkaComponent kafka = new KafkaComponent();
            kafka.getConfiguration().setBrokers(bootstrap);
            camel.addComponent("kafka", kafka);
            camel.start();
            long start = System.nanoTime();
            camel.addRoutes(new ProcessorRoute(processor, delays, new ProcessorRoute.Source(topic,
                    "orrery-vh-bench", bootstrap, null, consumers, batch), Duration.ofMinutes(5)));
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
                Thread.onSpinWait();
                TimeUnit.MILLISECONDS.sleep(5); // polling a counter, not synchronising with it
            }
            // The raw consumer's clock starts at its first records; this one at the route's start, which includes
            // joining the group: shown, so the two can be told apart.
            System.out.printf(Locale.ROOT, "processor: first batch processed %d ms after the route started%n",
                    TimeUnit.NANOSECONDS.toMillis(firstBatch - start));
            if (processor.processedCount() < events) {
                throw new IllegalStateException("processed only " + processor.processedCount() + " of " + events);
            }
            return events / ((System.nanoTime() - start) / 1e9);
        } finally {
            camel.stop();
            queues.close();
            member.getLifecycleService().terminate();
            store.close();
        }
    }

    private static int intArg(String[] args, String name, int defaultValue) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return defaultValue;
    }
}
