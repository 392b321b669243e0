package io.orrery.benchmarks.viewinghistory;

import io.orrery.viewinghistory.internal.event.EventCodec;
import io.orrery.viewinghistory.internal.event.EventType;
import io.orrery.viewinghistory.internal.event.PlaybackEvent;
import io.orrery.viewinghistory.publisher.testing.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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
 *   <li>Warm-up, untimed and alike for both sides, in up to {@code --warmup-rounds} rounds (fewer once the JIT is
 *       quiet): {@code --warmup} events of other sessions in a topic of their
 *       own, read once by a raw consumer and once by the processor.</li>
 *   <li>Baseline: a raw consumer in a fresh group reads the whole topic (bytes only, no parsing), three times: the
 *       median records/s.</li>
 *   <li>Orrery: the processor's route (as the node runs it, {@code --consumers} consumers, batches of
 *       {@code --batch}) consumes the topic from the start; timed until every event is processed and every session
 *       written to the store: events/s end to end.</li>
 * </ol>
 *
 * <p>Why the warm-up: without it the two sides were not measured alike. The processor ran last and cold: on two
 * cores its timed seconds were largely the JIT compiling Camel, H2 and Hazelcast (JFR: C2 compilations of 0.1-0.6 s
 * each, back to back, through the whole processing window), while the raw reads, run first, warmed the client and the
 * broker's fetch path for each other (a run's reads grew 0.73 -> 0.93 -> 1.42 million records/s). Both now reach
 * their timed phase with their code paths compiled, the broker's included, and each side's figure is its own
 * steady pace on the same data.
 */
public final class Main {

    private static final int RAW_READS = 3;
    /** The warm-up ends after a round in which the JIT compiled less than this share of the time. */
    private static final double QUIET_JIT = 0.05;

    private final int events;
    private final int perSession;
    private final int partitions;
    private final int consumers;
    private final int batch;
    private final int warmup;
    private final int warmupRounds;

    private Main(String[] args) {
        // 400,000: long enough that the consumer group's join and the JIT's warm-up (about a second) do not
        // dominate the processor's figure, as they did with 200,000.
        events = intArg(args, "--events", 400_000);
        perSession = intArg(args, "--per-session", 20);
        partitions = intArg(args, "--partitions", 6);
        // The node's defaults (etc/io.orrery.viewinghistory.cfg): the headline is the processor as users run it.
        consumers = intArg(args, "--consumers", 1);
        batch = intArg(args, "--batch", 2000);
        warmup = intArg(args, "--warmup", 200_000);
        warmupRounds = intArg(args, "--warmup-rounds", 1);
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
            int sessions = preload(broker.bootstrap(), topic, "bench", events);
            System.out.printf("viewing-history benchmark: %d events, %d sessions, %d partitions, %d consumer(s), "
                    + "batch %d, warm-up rounds of %d events (at most %d), %d cores%n", events, sessions, partitions,
                    consumers, batch, warmup, warmupRounds, Runtime.getRuntime().availableProcessors());
            double raw;
            double orrery;
            try (Processor processor = new Processor(broker.bootstrap(), dir, consumers, batch)) {
                for (int round = 1; round <= warmupRounds && warmup > 0; round++) {
                    if (warmUp(broker, processor, round) < QUIET_JIT) {
                        break;
                    }
                }
                raw = rawBaseline(broker.bootstrap(), topic);
                JitShare jit = new JitShare();
                orrery = processor.run(topic, "orrery-vh-bench", events, sessions);
                System.out.printf(Locale.ROOT, "processor: the JIT compiled %.0f %% of the timed window%n",
                        jit.share() * 100);
            }
            System.out.printf(Locale.ROOT, "processor: %.0f events/s end-to-end%n", orrery);
            System.out.printf(Locale.ROOT, "viewing-history: %.0f events/s end-to-end, raw consumer %.0f records/s, "
                    + "ratio %.2f%n", orrery, raw, orrery / raw);
        }
    }

    /**
     * One round of the warm-up: a topic of {@code warmup} events of sessions of its own, read by a raw consumer and
     * consumed by the processor. The share of the round's time the JIT spent compiling (its compiler threads' time
     * over the round's wall time; above 1 when both compiler threads worked throughout).
     */
    private double warmUp(KafkaBroker broker, Processor processor, int round) throws Exception {
        String topic = "vh-bench-warmup-" + round;
        broker.createTopic(topic, partitions);
        int sessions = preload(broker.bootstrap(), topic, "warm" + round, warmup);
        JitShare jit = new JitShare();
        double raw = rawConsumer(broker.bootstrap(), topic, warmup);
        double processed = processor.run(topic, "orrery-vh-warmup-" + round, warmup, sessions);
        double share = jit.share();
        System.out.printf(Locale.ROOT, "warm-up %d: raw consumer %.0f records/s, processor %.0f events/s, JIT "
                + "compiling %.0f %% of the round%n", round, raw, processed, share * 100);
        return share;
    }

    /** Writes the events; how many sessions they make. */
    private int preload(String bootstrap, String topic, String prefix, int count) {
        Random random = new Random(1);
        int sessions = 0;
        int written = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
                "linger.ms", "10", "batch.size", String.valueOf(256 * 1024), "acks", "1",
                "enable.idempotence", "false"), new ByteArraySerializer(), new ByteArraySerializer())) {
            while (written < count) {
                String session = prefix + "-s" + sessions;
                String user = prefix + "-u" + (sessions % 5000);
                long ts = 1_700_000_000_000L + sessions * 1000L;
                long position = 0;
                for (int i = 0; i < perSession && written < count; i++, written++) {
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
            reads[i] = rawConsumer(bootstrap, topic, events);
            System.out.printf(Locale.ROOT, "raw consumer, read %d: %.0f records/s%n", i + 1, reads[i]);
        }
        Arrays.sort(reads);
        double median = reads[reads.length / 2];
        System.out.printf(Locale.ROOT, "raw consumer: %.0f records/s (median of %d reads)%n", median, reads.length);
        return median;
    }

    /**
     * One read of the whole topic in a fresh group; records/s from its first records to its last.
     *
     * <p>{@code fetch.max.wait.ms} is the route's 50 ms, not Kafka's 500: a consumer sends no fetch to a broker while
     * one is in flight, and the broker holds a fetch whose partitions are all at their end for that long, so once some
     * partitions were read to the end the others waited. With 500 ms whether a read met that stall depended on how the
     * preload happened to spread the records over the partitions: all three reads of a run met it or none did (the
     * longest wait for records printed below: ≈505 ms, or ≈20 ms), so the baseline moved 3-4× from run to run
     * (0.3-0.5 million records/s with the stall, 1.3-1.4 million without). The processor's route already asks for
     * 50 ms for the same reason; the raw consumer now reads with the same setting and no longer stalls.
     */
    private double rawConsumer(String bootstrap, String topic, int count) {
        Map<String, Object> props = Map.of("bootstrap.servers", bootstrap, "group.id", "raw-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest", "enable.auto.commit", "false", "max.poll.records", "5000",
                "fetch.max.wait.ms", "50");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long subscribed = System.nanoTime();
            long start = 0;
            long read = 0;
            long last = 0;
            long longestGap = 0;
            int polls = 0;
            while (read < count) {
                var records = consumer.poll(Duration.ofMillis(500));
                long now = System.nanoTime();
                if (start == 0 && !records.isEmpty()) {
                    start = now;
                    last = now;
                }
                if (start != 0) {
                    polls++;
                    if (!records.isEmpty()) {
                        longestGap = Math.max(longestGap, now - last);
                        last = now;
                    }
                }
                read += records.count();
            }
            long end = System.nanoTime();
            // Where a slow read spends its time: waiting for records (long gaps) or reading them.
            System.out.printf(Locale.ROOT, "raw consumer on %s: first records %d ms after subscribing, %d polls, "
                    + "longest wait for records %d ms, %d ms reading%n", topic,
                    TimeUnit.NANOSECONDS.toMillis(start - subscribed), polls,
                    TimeUnit.NANOSECONDS.toMillis(longestGap), TimeUnit.NANOSECONDS.toMillis(end - start));
            return count / ((end - start) / 1e9);
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
