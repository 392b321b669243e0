package io.orrery.engine.internal.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.api.trace.SpanRecord;
import io.orrery.api.trace.SpanTree;
import io.orrery.api.trace.TraceContext;
import io.orrery.api.trace.TraceSpan;
import io.orrery.store.JdbcStore;
import io.orrery.trace.internal.SpanRecording;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A workflow's spans on two real members, each node recording with the trace bundle's own recording into the
 * cluster's span map: every firing nests under what caused it (the request, the queue wait of a result, the
 * parent's call of a child workflow), and every queue message waits under the firing that sent it.
 */
class TracedWorkflowIT {

    static final String WORKFLOWS = """
            workflow('child') {
                input { optional 'n', Integer, 0 }
                rule('work') { match { !state.done }; action { call 'step', [n: input.n] }
                               reaction { r -> state.done = true; complete(output: [n: r.n]) } }
            }
            workflow('parent') {
                rule('split') { match { !state.one }; action { call 'step', [n: 1] }
                                reaction { r -> state.one = r.n } }
                rule('kid') { match { state.one && !state.kid }; action { workflow 'child', [n: 2] }
                              reaction { r -> state.kid = r.n; complete(output: [sum: state.one + r.n]) } }
            }
            """;

    private final List<JdbcStore> stores = new ArrayList<>();
    private final List<SpanRecording> recordings = new ArrayList<>();
    private TestCluster cluster;

    @BeforeEach
    void start() {
        cluster = new TestCluster(2).start(null, false, TestCluster.options().withPersistent(false),
                fn -> Optional.of(TestCluster.function(fn, args -> Map.of("n", args.get("n")))));
        for (int i = 0; i < 2; i++) {
            JdbcStore store = JdbcStore.open("jdbc:h2:mem:spans-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
            stores.add(store);
            SpanRecording recording = new SpanRecording(cluster.members.get(i), store, defaults());
            recordings.add(recording);
            cluster.nodes.get(i).engine().metrics().tracer(recording);
        }
        cluster.deployEverywhere("acme", TestCluster.compile(WORKFLOWS));
    }

    @AfterEach
    void stop() {
        recordings.forEach(SpanRecording::deactivate);
        cluster.close();
        stores.forEach(JdbcStore::close);
    }

    @Test
    void firingsNestUnderTheirRequestTheirResultsQueueWaitsAndTheirParentsCall() {
        SpanRecording gateway = recordings.get(0);
        TraceContext trace;
        try (TraceSpan request = gateway.start("POST /instances", "acme", null)) {
            trace = request.context();
            cluster.nodes.get(0).engine().submit(new InstanceRequest("acme", "parent", "p1", Map.of(), 5, trace));
        }
        var id = new InstanceId("acme", "parent", "p1");
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.nodes.get(1).engine().find(id)
                .map(v -> v.output() != null).orElse(false));

        // The engine's spans only: each call's own span ("function step", under its queue wait) is the function
        // worker's, which lives in orrery-functions and is tested there; these nodes run calls with a test worker.
        String expected = """
                POST /instances
                  rule split action
                    queue wait functions
                      queue wait engine.results
                        rule split reaction
                        rule kid action
                          rule work action
                            queue wait functions
                              queue wait engine.results
                                rule work reaction
                                rule kid reaction
                """;
        await().atMost(Duration.ofSeconds(10))
                .until(() -> render(SpanTree.of(spans(trace.traceId())), "").equals(expected));
        List<SpanRecord> spans = spans(trace.traceId());
        assertThat(spans).allSatisfy(s -> assertThat(s.tenant()).isEqualTo("acme"));
        assertThat(spans).filteredOn(s -> s.name().startsWith("queue wait")).allSatisfy(s -> {
            assertThat(s.attributes()).containsEntry("orrery.kind", "queue.wait").containsEntry("orrery.attempt", "1");
            assertThat(s.endMicros()).isGreaterThanOrEqualTo(s.startMicros());
        });
    }

    @Test
    void aSecondRequestToAnInstanceOfAnotherTraceLeavesItsFiringsInTheInstancesTrace() {
        SpanRecording gateway = recordings.get(0);
        var engine = cluster.nodes.get(1).engine();
        TraceContext first;
        try (TraceSpan request = gateway.start("POST /instances", "acme", null)) {
            first = request.context();
            engine.submit(new InstanceRequest("acme", "parent", "p2", Map.of(), 5, first));
        }
        var id = new InstanceId("acme", "parent", "p2");
        await().atMost(Duration.ofSeconds(30)).until(() -> engine.find(id)
                .map(v -> v.output() != null).orElse(false));
        TraceContext second;
        try (TraceSpan request = gateway.start("POST /instances", "acme", null)) {
            second = request.context();
            engine.submit(new InstanceRequest("acme", "parent", "p2", Map.of("again", true), 5, second));
        }
        // The second request's span is a trace of its own; the instance's trace never points at it.
        await().atMost(Duration.ofSeconds(10)).until(() -> spans(second.traceId()).size() == 1);
        assertThat(spans(first.traceId())).extracting(SpanRecord::parentSpanId).doesNotContain(second.spanId());
    }

    private List<SpanRecord> spans(String traceId) {
        return recordings.get(1).spansOfEveryTenant(traceId);
    }

    private static String render(List<SpanTree> trees, String indent) {
        StringBuilder out = new StringBuilder();
        for (SpanTree t : trees) {
            out.append(indent).append(t.span().name()).append('\n').append(render(t.children(), indent + "  "));
        }
        return out.toString();
    }

    /** The recording's configuration with every attribute at its declared default. */
    private static SpanRecording.Config defaults() {
        return (SpanRecording.Config) Proxy.newProxyInstance(SpanRecording.Config.class.getClassLoader(),
                new Class<?>[] {SpanRecording.Config.class}, (proxy, method, args) -> method.getDefaultValue());
    }
}
