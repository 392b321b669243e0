package io.orrery.trace.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.orrery.api.trace.SpanRecord;
import io.orrery.api.trace.TraceContext;
import io.orrery.cluster.ClusterMembers;
import io.orrery.cluster.MemberSettings;
import io.orrery.cluster.testing.LoopbackMembers;
import io.orrery.store.JdbcStore;
import io.orrery.trace.internal.span.SpanFlusher;
import io.orrery.trace.internal.span.SpanMap;
import io.orrery.trace.internal.span.SpanTable;
import io.orrery.trace.internal.span.SpanTrim;
import io.orrery.trace.internal.span.SpanWriter;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Spans are recorded in batches off the ending thread: none is lost silently, on shutdown or under load. */
class SpanFlusherIT {

    private HazelcastInstance member;
    private JdbcStore store;

    @BeforeEach
    void start() throws IOException {
        String cluster = "orrery-trace-flush-" + UUID.randomUUID();
        member = LoopbackMembers.onFreePort(port -> ClusterMembers.start(new MemberSettings(cluster, port,
                List.of("127.0.0.1:" + port), "127.0.0.1", 0, 0)));
        store = JdbcStore.open("jdbc:h2:mem:flush-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    }

    @AfterEach
    void stop() {
        member.shutdown();
        store.close();
    }

    @Test
    void closingKeepsAndStoresEverySpanAlreadyEnded() {
        SpanRecording recording = new SpanRecording(member, store, config(100_000, 50_000));
        TraceContext root = TraceContext.newTrace();
        Instant t0 = Instant.now();
        int spans = 5_000;
        for (int i = 0; i < spans; i++) {
            recording.record("step " + i, "acme", root, t0.plusNanos(i * 1000L), t0.plusNanos(i * 1000L + 500),
                    Map.of("i", Integer.toString(i)));
        }
        recording.deactivate(); // at once: most spans are still buffered

        assertThat(recording.flusher().dropped()).isZero();
        assertThat(recording.writer().dropped()).isZero();
        assertThat(SpansInMap.count(member)).isEqualTo(spans);
        assertThat(recording.map().size()).as("a trace's spans of a flush share an entry").isLessThan(spans / 10);
        assertThat(recording.map().trace(root.traceId())).hasSize(spans);
        member.getMap(SpanMap.NAME).clear();
        List<SpanRecord> stored = recording.spans("acme", root.traceId());
        assertThat(stored).hasSize(spans);
        assertThat(stored).filteredOn(s -> s.name().equals("step 4321"))
                .singleElement().satisfies(s -> assertThat(s.attributes()).containsEntry("i", "4321"));
    }

    @Test
    void underLoadEverySpanIsKeptOrCounted() throws Exception {
        SpanRecording recording = new SpanRecording(member, store, config(1_000_000, 64));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        recording.bindMeters(registry);
        TraceContext root = TraceContext.newTrace();
        int threads = 8;
        int each = 3_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        recording.start("t" + thread + " " + i, "acme", root).close();
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
        }
        recording.deactivate();
        long dropped = recording.flusher().dropped();
        assertThat(SpansInMap.count(member) + dropped).isEqualTo((long) threads * each);
        assertThat(recording.spans("acme", root.traceId()).size() + dropped).isEqualTo((long) threads * each);
        assertThat(registry.get("orrery.trace.spans.dropped").tag("stage", "buffer").functionCounter().count())
                .isEqualTo(dropped);
        assertThat(registry.get("orrery.trace.spans.dropped").tag("stage", "store").functionCounter().count())
                .isEqualTo(recording.writer().dropped());
    }

    @Test
    void aFullBufferDropsAndCountsInsteadOfWaiting() throws Exception {
        SpanMap map = new SpanMap(member, 1000);
        store.migrate("trace", SpanRecording.class.getClassLoader());
        SpanWriter writer = new SpanWriter(new SpanTable(store.dataSource()), 1000);
        SpanFlusher flusher = new SpanFlusher(map, writer, new SpanTrim(1000), 4);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch converting = new CountDownLatch(1);
        try (SdkTracerProvider sdk = SdkTracerProvider.builder().build()) {
            var tracer = sdk.get("test");
            // The flusher takes the first span and, its batch gathered, stays stuck converting it, so the buffer
            // fills behind it.
            flusher.offer(stuckUntil(converting, release, (ReadableSpan) tracer.spanBuilder("first").startSpan()));
            assertThat(converting.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 4; i++) {
                assertThat(flusher.offer((ReadableSpan) tracer.spanBuilder("buffered " + i).startSpan())).isTrue();
            }
            long before = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                assertThat(flusher.offer((ReadableSpan) tracer.spanBuilder("dropped " + i).startSpan())).isFalse();
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before)).isLessThan(1000);
            assertThat(flusher.dropped()).isEqualTo(3);
            release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> map.size() == 5);
        } finally {
            release.countDown();
            flusher.close();
            writer.close();
        }
    }

    /** The span, whose conversion counts {@code converting} down and waits for {@code release}. */
    private static ReadableSpan stuckUntil(CountDownLatch converting, CountDownLatch release, ReadableSpan span) {
        return (ReadableSpan) Proxy.newProxyInstance(ReadableSpan.class.getClassLoader(),
                new Class<?>[] {ReadableSpan.class}, (proxy, method, args) -> {
                    if (method.getName().equals("toSpanData")) {
                        converting.countDown();
                        release.await(30, TimeUnit.SECONDS);
                    }
                    try {
                        return method.invoke(span, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static SpanRecording.Config config(int maxSpans, int buffer) {
        return TraceConfig.with(Map.of("maxSpans", maxSpans, "writeBuffer", buffer));
    }
}
