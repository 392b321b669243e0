package io.orrery.trace.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import io.orrery.api.trace.FailureKind;
import io.orrery.api.trace.SpanRecord;
import io.orrery.api.trace.SpanTree;
import io.orrery.api.trace.TraceContext;
import io.orrery.api.trace.TraceSpan;
import io.orrery.cluster.ClusterMembers;
import io.orrery.cluster.MemberSettings;
import io.orrery.cluster.testing.LoopbackMembers;
import io.orrery.store.JdbcStore;
import java.io.IOException;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Span recording on a real Hazelcast member and an H2 store. */
class SpanRecordingIT {

    private HazelcastInstance member;
    private JdbcStore store;
    private SpanRecording recording;

    @BeforeEach
    void start() throws IOException {
        String cluster = "orrery-trace-test-" + UUID.randomUUID();
        member = LoopbackMembers.onFreePort(port -> ClusterMembers.start(new MemberSettings(cluster, port,
                List.of("127.0.0.1:" + port), "127.0.0.1", 0, 0)));
        store = JdbcStore.open("jdbc:h2:mem:trace-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    }

    @AfterEach
    void stop() {
        if (recording != null) {
            recording.deactivate();
        }
        member.shutdown();
        store.close();
    }

    @Test
    void aFanOutReadsBackAsOneRequestWithOverlappingCalls() throws Exception {
        recording = new SpanRecording(member, store, config(1000));
        TraceContext trace = fanOut("acme", 4);
        awaitKept(10);

        List<SpanTree> roots = SpanTree.of(recording.spans("acme", trace.traceId()));

        assertThat(roots).hasSize(1);
        SpanTree request = roots.get(0);
        assertThat(request.span().name()).isEqualTo("POST /instances");
        assertThat(request.span().attributes()).containsEntry("http.status", "202");
        assertThat(request.children()).extracting(t -> t.span().name()).containsExactly("rule split");
        SpanTree rule = request.children().get(0);
        List<SpanTree> waits = rule.children().stream().filter(t -> t.span().name().equals("queue wait")).toList();
        assertThat(waits).hasSize(4);
        List<SpanRecord> calls = waits.stream().flatMap(w -> w.children().stream()).map(SpanTree::span).toList();
        assertThat(calls).hasSize(4).allMatch(c -> c.name().equals("call encode"));
        long latestStart = calls.stream().mapToLong(SpanRecord::startMicros).max().orElseThrow();
        long earliestEnd = calls.stream().mapToLong(SpanRecord::endMicros).min().orElseThrow();
        assertThat(latestStart).as("every call started before any ended").isLessThan(earliestEnd);
        assertThat(calls.get(3).failure()).isEqualTo(FailureKind.TIMEOUT);
    }

    @Test
    void aTenantNeverReadsAnotherTenantsSpans() throws Exception {
        recording = new SpanRecording(member, store, config(1000));
        TraceContext trace = fanOut("acme", 2);
        // A hostile tenant records spans into acme's trace id: acme must not see them, nor they acme's.
        recording.start("intruder", "beta", trace).close();
        awaitKept(7);

        assertThat(recording.spans("beta", trace.traceId())).extracting(SpanRecord::name).containsExactly("intruder");
        assertThat(recording.spans("acme", trace.traceId())).extracting(SpanRecord::name)
                .doesNotContain("intruder").hasSize(6);
        awaitWritten(7);
        member.getMap("orrery.trace.spans").clear();
        assertThat(recording.spans("beta", trace.traceId())).extracting(SpanRecord::name).containsExactly("intruder");
        assertThat(recording.spans("acme", trace.traceId())).hasSize(6);
        assertThat(recording.spansOfEveryTenant(trace.traceId())).hasSize(7);
    }

    @Test
    void malformedOrUnknownTraceIdsReadAsEmpty() {
        recording = new SpanRecording(member, store, config(1000));
        assertThat(recording.spans("acme", "' or 1=1 --")).isEmpty();
        assertThat(recording.spans("acme", "%")).isEmpty();
        assertThat(recording.spans("acme", TraceContext.newTrace().traceId())).isEmpty();
    }

    @Test
    void spansLeaveTheMapAfterTheirAge() {
        recording = new SpanRecording(member, store, config(1000, 1));
        recording.start("short-lived", "acme", null).close();
        awaitKept(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> recording.map().size() == 0);
    }

    /** A request span, a rule firing under it, and {@code calls} parallel calls each behind a queue wait. */
    private TraceContext fanOut(String tenant, int calls) throws Exception {
        TraceContext traceContext;
        try (TraceSpan request = recording.start("POST /instances", tenant, null)) {
            traceContext = request.context();
            request.attribute("http.status", "202");
            try (TraceSpan rule = recording.start("rule split", tenant, request.context())) {
                CountDownLatch allStarted = new CountDownLatch(calls);
                ExecutorService workers = Executors.newFixedThreadPool(calls);
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < calls; i++) {
                    boolean last = i == calls - 1;
                    Instant enqueued = Instant.now();
                    done.add(workers.submit(() -> {
                        TraceContext wait = recording.record("queue wait", tenant, rule.context(), enqueued,
                                Instant.now(), Map.of("queue", tenant + "/functions"));
                        try (TraceSpan call = recording.start("call encode", tenant, wait)) {
                            allStarted.countDown();
                            allStarted.await();
                            if (last) {
                                call.failed(FailureKind.TIMEOUT, "deadline passed");
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                workers.shutdown();
            }
        }
        return traceContext;
    }

    /** Spans reach the map asynchronously: the thread that ends a span does not wait for the owner member. */
    private void awaitKept(int spans) {
        await().atMost(Duration.ofSeconds(10)).until(() -> recording.map().size() == spans);
    }

    private void awaitWritten(int spans) {
        await().atMost(Duration.ofSeconds(10)).until(() -> rowCount() == spans);
    }

    private long rowCount() throws Exception {
        try (var c = store.dataSource().getConnection(); var rs = c.createStatement()
                .executeQuery("SELECT COALESCE(SUM(span_count), 0) FROM trace_span_blocks")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static SpanRecording.Config config(int maxSpans) {
        return config(maxSpans, 3600);
    }

    private static SpanRecording.Config config(int maxSpans, long maxAgeSeconds) {
        return TraceConfig.with(Map.of("maxSpans", maxSpans, "maxAgeSeconds", maxAgeSeconds, "writeBuffer", 1000));
    }
}
