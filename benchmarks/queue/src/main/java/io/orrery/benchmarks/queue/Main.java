package io.orrery.benchmarks.queue;

import com.hazelcast.collection.IQueue;
import com.hazelcast.core.HazelcastInstance;
import io.orrery.cluster.ClusterMembers;
import io.orrery.cluster.MemberSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orrery.api.queue.Claim;
import io.orrery.api.queue.ClaimRequest;
import io.orrery.api.queue.QueueId;
import io.orrery.api.queue.QueueMessage;
import io.orrery.api.trace.TraceContext;
import io.orrery.queue.internal.QueueOptions;
import io.orrery.queue.internal.ShardedQueueService;
import io.orrery.store.JdbcStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Orrery's queue against a raw Hazelcast {@code IQueue} on the same single member, same threads, same small
 * messages (16-byte payload carrying the enqueue time).
 *
 * <ol>
 *   <li>Throughput: producers enqueue (offer) one message at a time, consumers claim up to {@code --claim}
 *       messages and ack them in one call (the raw baseline polls one at a time). At most {@code --window}
 *       messages are in flight, so neither queue grows without bound. Reported: completed messages per second.</li>
 *   <li>Latency: producers offer a fixed rate (half of Orrery's median throughput, the same for both), and the
 *       time from the enqueue call to the claim that returns the message is recorded for every message.</li>
 * </ol>
 * After a discarded warm-up, {@code --rounds} rounds alternate the two queues; the summary line reports medians.
 * Each run settles for half its length before it records. {@code --persistence} adds runs with write-behind to an
 * embedded H2 file and the measured write lag.
 */
public final class Main {

    private final int seconds;
    private final int producers;
    private final int consumers;
    private final int claimMax;
    private final int window;
    private final boolean persistence;
    private final int rounds;

    private Main(String[] args) {
        persistence = java.util.Arrays.asList(args).contains("--persistence");
        seconds = intArg(args, "--seconds", 5);
        producers = intArg(args, "--producers", 2);
        consumers = intArg(args, "--consumers", 2);
        claimMax = intArg(args, "--claim", 64);
        window = intArg(args, "--window", 4096);
        rounds = intArg(args, "--rounds", 3);
    }

    public static void main(String[] args) throws Exception {
        Main bench = new Main(args);
        HazelcastInstance member = startMember();
        try {
            bench.run(member);
        } finally {
            member.getLifecycleService().terminate();
        }
        System.exit(0);
    }

    private void run(HazelcastInstance member) throws Exception {
        System.out.printf("queue benchmark: 1 member, %d producer(s), %d consumer(s), claim batch %d, window %d, "
                + "%d s per run, %d cores%n", producers, consumers, claimMax, window, seconds,
                Runtime.getRuntime().availableProcessors());
        ShardedQueueService orrery = ShardedQueueService.start(member,
                QueueOptions.DEFAULTS.withPersistence(QueueOptions.Persistence.NONE), new SimpleMeterRegistry(),
                null);
        try {
            Target raw = new RawTarget(member.getQueue("bench-raw-" + UUID.randomUUID()));
            Target ours = new OrreryTarget(orrery, QueueId.of("bench", "q-" + UUID.randomUUID()), claimMax);

            // warm-up, discarded
            throughput(raw);
            throughput(ours);
            // rounds alternate raw and orrery, so both sides of each ratio ran under similar conditions on a
            // machine that may be shared; the summary takes medians over the rounds
            List<Double> rawRates = new ArrayList<>();
            List<Double> ourRates = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                Result rawRun = throughput(raw);
                print("raw IQueue offer+poll, round " + r, rawRun);
                Result ourRun = throughput(ours);
                print("orrery enqueue+claim+ack, round " + r, ourRun);
                rawRates.add(rawRun.perSecond);
                ourRates.add(ourRun.perSecond);
                ratios.add(ourRun.perSecond / rawRun.perSecond);
            }
            double rate = Math.max(1000, median(ourRates) / 2);
            latency(ours, rate);
            List<Double> p99s = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                print(String.format(Locale.ROOT, "raw IQueue at %.0f msg/s, round %d", rate, r), latency(raw, rate));
                Result ourPaced = latency(ours, rate);
                print(String.format(Locale.ROOT, "orrery at %.0f msg/s, round %d", rate, r), ourPaced);
                p99s.add(ourPaced.p99Millis());
            }

            if (persistence) {
                persisted(member);
            }
            System.out.printf(Locale.ROOT, "(medians of %d rounds; ratio = median of the per-round ratios)%n", rounds);
            System.out.printf(Locale.ROOT, "queue: %.0f msg/s claim+ack, raw IQueue %.0f msg/s, ratio %.2f, "
                            + "p99 enqueue-to-claim %.2f ms%n", median(ourRates), median(rawRates), median(ratios),
                    median(p99s));
        } finally {
            orrery.close();
        }
    }

    /**
     * Write-behind persistence to an embedded H2 file: the throughput run, then a paced run at a quarter of that,
     * each with the write lag measured (how long a change waited for its commit: the loss window of a full crash).
     */
    private void persisted(HazelcastInstance member) throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("orrery-queue-bench");
        try (JdbcStore store = JdbcStore.open("jdbc:h2:file:" + dir.resolve("store"), "sa", "")) {
            double rate = persistedRun(member, store, 0);
            persistedRun(member, store, Math.max(1000, rate / 4));
        }
    }

    /** One write-behind run with its own service and meters (so the lag figures are its own); its msg/s. */
    private double persistedRun(HazelcastInstance member, JdbcStore store, double rate) throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ShardedQueueService persistent = ShardedQueueService.start(member, QueueOptions.DEFAULTS, meters, store);
        try {
            Target target = new OrreryTarget(persistent, QueueId.of("bench", "p-" + UUID.randomUUID()), claimMax);
            Result run;
            if (rate == 0) {
                throughput(target);
                run = throughput(target);
                print("orrery, write-behind to H2", run);
            } else {
                latency(target, rate);
                run = latency(target, rate);
                print(String.format(Locale.ROOT, "orrery, write-behind, %.0f msg/s", rate), run);
            }
            printLag(meters);
            return run.perSecond;
        } finally {
            persistent.close();
        }
    }

    /** The write lag of the last minute (the timer's percentiles expire after a minute). */
    private static void printLag(SimpleMeterRegistry meters) {
        io.micrometer.core.instrument.distribution.HistogramSnapshot lag =
                meters.get("orrery.queue.persist.lag").timer().takeSnapshot();
        double p99 = java.util.Arrays.stream(lag.percentileValues()).filter(v -> v.percentile() == 0.99)
                .mapToDouble(v -> v.value(TimeUnit.MILLISECONDS)).findFirst().orElse(Double.NaN);
        System.out.printf(Locale.ROOT, "%-34s p99 %.0f ms, max %.0f ms (flush every %d ms)%n",
                "  write-behind lag (loss window)", p99, lag.max(TimeUnit.MILLISECONDS),
                QueueOptions.DEFAULTS.flushInterval().toMillis());
    }

    // ---- runs ---------------------------------------------------------------------------------------------

    /** What is measured: a queue with producers and consumers. */
    interface Target {
        void offer(byte[] payload) throws InterruptedException;

        /** Takes what is there (waiting briefly), completes it, and reports each message's payload. */
        int takeAndComplete(java.util.function.Consumer<byte[]> each) throws InterruptedException;
    }

    record Result(double perSecond, long[] waitsNanos) {
        double percentileMillis(double p) {
            if (waitsNanos.length == 0) {
                return Double.NaN;
            }
            return waitsNanos[(int) Math.min(waitsNanos.length - 1, Math.ceil(p * waitsNanos.length) - 1)] / 1e6;
        }

        double p99Millis() {
            return percentileMillis(0.99);
        }
    }

    private Result throughput(Target target) throws InterruptedException {
        Semaphore inFlight = new Semaphore(window);
        return measure(target, inFlight, () -> {
            inFlight.acquire();
            target.offer(stamp());
        });
    }

    private Result latency(Target target, double ratePerSecond) throws InterruptedException {
        long intervalNanos = (long) (1e9 * producers / ratePerSecond);
        ThreadLocal<long[]> next = ThreadLocal.withInitial(() -> new long[] {System.nanoTime()});
        return measure(target, null, () -> {
            long[] at = next.get();
            long wait = at[0] - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            at[0] += intervalNanos;
            target.offer(stamp());
        });
    }

    private interface Send {
        void send() throws InterruptedException;
    }

    private Result measure(Target target, Semaphore inFlight, Send send) throws InterruptedException {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicBoolean recording = new AtomicBoolean(false);
        LongAdder completed = new LongAdder();
        List<long[]> waits = new ArrayList<>();
        List<int[]> counts = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            threads.add(thread("producer-" + p, () -> {
                while (running.get()) {
                    send.send();
                }
            }));
        }
        for (int c = 0; c < consumers; c++) {
            long[] mine = new long[4_000_000];
            int[] n = {0};
            waits.add(mine);
            counts.add(n);
            threads.add(thread("consumer-" + c, () -> {
                while (running.get()) {
                    int got = target.takeAndComplete(payload -> {
                        if (recording.get() && n[0] < mine.length) {
                            mine[n[0]++] = System.nanoTime() - ByteBuffer.wrap(payload).getLong();
                        }
                    });
                    if (recording.get()) {
                        completed.add(got);
                    }
                    if (inFlight != null) {
                        inFlight.release(got);
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds) / 2); // settle within the run, not recorded
        recording.set(true);
        long start = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        recording.set(false);
        double elapsed = (System.nanoTime() - start) / 1e9;
        running.set(false);
        if (inFlight != null) {
            inFlight.release(window * 2); // unblock producers
        }
        for (Thread t : threads) {
            t.join(10_000);
        }
        drain(target);
        int total = counts.stream().mapToInt(n -> n[0]).sum();
        long[] all = new long[total];
        int at = 0;
        for (int i = 0; i < waits.size(); i++) {
            System.arraycopy(waits.get(i), 0, all, at, counts.get(i)[0]);
            at += counts.get(i)[0];
        }
        Arrays.sort(all);
        return new Result(completed.sum() / elapsed, all);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static void drain(Target target) throws InterruptedException {
        while (target.takeAndComplete(p -> { }) > 0) {
            // empty the queue so the next run starts clean
        }
    }

    private interface Body {
        void run() throws InterruptedException;
    }

    private static Thread thread(String name, Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        t.setDaemon(true);
        return t;
    }

    private static byte[] stamp() {
        return ByteBuffer.allocate(16).putLong(System.nanoTime()).array();
    }

    private static void print(String what, Result r) {
        System.out.printf(Locale.ROOT, "%-34s %9.0f msg/s   enqueue-to-claim p50 %.2f ms, p99 %.2f ms, max %.2f ms "
                        + "(%d samples)%n", what, r.perSecond, r.percentileMillis(0.5), r.p99Millis(),
                r.percentileMillis(1.0), r.waitsNanos.length);
    }

    // ---- the two queues -----------------------------------------------------------------------------------

    private static final class RawTarget implements Target {
        private final IQueue<byte[]> queue;

        RawTarget(IQueue<byte[]> queue) {
            this.queue = queue;
        }

        @Override
        public void offer(byte[] payload) {
            queue.offer(payload);
        }

        @Override
        public int takeAndComplete(java.util.function.Consumer<byte[]> each) throws InterruptedException {
            byte[] b = queue.poll(20, TimeUnit.MILLISECONDS);
            if (b == null) {
                return 0;
            }
            each.accept(b);
            return 1;
        }
    }

    private static final class OrreryTarget implements Target {
        private final ShardedQueueService queues;
        private final QueueId queue;
        private final ClaimRequest request;

        OrreryTarget(ShardedQueueService queues, QueueId queue, int claimMax) {
            this.queues = queues;
            this.queue = queue;
            this.request = ClaimRequest.of(queue).max(claimMax).waitUpTo(Duration.ofMillis(20));
        }

        /** A producer's messages belong to one request: they share its trace (as the engine's calls do). */
        private final ThreadLocal<TraceContext> trace = ThreadLocal.withInitial(TraceContext::newTrace);

        @Override
        public void offer(byte[] payload) {
            queues.enqueue(QueueMessage.builder(queue).trace(trace.get()).payload(payload).build());
        }

        @Override
        public int takeAndComplete(java.util.function.Consumer<byte[]> each) throws InterruptedException {
            List<Claim> claims = queues.claim(request);
            if (claims.isEmpty()) {
                return 0;
            }
            claims.forEach(c -> each.accept(c.message().payload()));
            return queues.ackAll(claims);
        }
    }

    // ---- setup --------------------------------------------------------------------------------------------

    private static HazelcastInstance startMember() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // Started as a node starts its member (ClusterMembers): the same configuration and completion threads.
        return ClusterMembers.start(new MemberSettings("orrery-queue-bench-" + UUID.randomUUID(), port,
                List.of("127.0.0.1:" + port), "127.0.0.1", 1, 0));
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
