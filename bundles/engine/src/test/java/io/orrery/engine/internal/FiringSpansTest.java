package io.orrery.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.engine.CallResult;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.api.engine.OutboundCall;
import io.orrery.api.trace.FailureKind;
import io.orrery.api.trace.TraceContext;
import io.orrery.api.trace.TraceSpan;
import io.orrery.api.trace.Tracer;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Each rule section that runs is a span of its instance's trace, named for its tenant, rule and part. */
class FiringSpansTest {

    /** A span as the engine ended it: name, tenant, trace id and attributes. */
    record Ended(String name, String tenant, String traceId, Map<String, String> attributes) { }

    private final List<Ended> ended = new CopyOnWriteArrayList<>();

    private final Tracer tracer = new Tracer() {
        @Override
        public TraceSpan start(String name, String tenant, TraceContext parent) {
            Map<String, String> attributes = new ConcurrentHashMap<>();
            TraceContext self = parent.child();
            return new TraceSpan() {
                @Override public TraceContext context() { return self; }
                @Override public TraceSpan attribute(String k, String v) { attributes.put(k, v); return this; }
                @Override public TraceSpan tenant(String t) { return this; }
                @Override public TraceSpan failed(FailureKind kind, String message) { return this; }
                @Override public void close() { ended.add(new Ended(name, tenant, self.traceId(), attributes)); }
            };
        }

        @Override
        public TraceContext record(String name, String tenant, TraceContext parent, Instant start, Instant end,
                                   Map<String, String> attributes) {
            throw new AssertionError("the engine records no intervals");
        }
    };

    @Test
    void actionAndReactionAreSpansOfTheRequestsTrace() throws Exception {
        var port = new MemoryCallPort(Clock.systemUTC());
        try (var engine = new EngineCore(EngineSettings.defaults().withLanes(0), new MemoryInstanceTable(), port,
                null, Clock.systemUTC())) {
            engine.metrics().tracer(tracer);
            engine.deploy("t", EngineCoreTest.module(EngineCoreTest.COUNTING));
            TraceContext trace = TraceContext.newTrace();
            engine.submit(new InstanceRequest("t", "count", "k", Map.of(), 5, trace));
            OutboundCall call = port.claim(10, java.time.Duration.ZERO).get(0).call();
            engine.deliver(CallResult.success(call.instance(), call.callId(), Map.of("a", 42), 1));

            assertThat(ended).extracting(Ended::name).containsExactly("rule ask action", "rule ask reaction");
            assertThat(ended).allSatisfy(s -> {
                assertThat(s.tenant()).isEqualTo("t");
                assertThat(s.traceId()).isEqualTo(trace.traceId());
                assertThat(s.attributes()).containsEntry("orrery.workflow", "count").containsEntry("orrery.key", "k")
                        .containsEntry("orrery.rule", "ask");
            });
        }
    }

    @Test
    void withoutATracerNothingIsRecorded() throws Exception {
        var port = new MemoryCallPort(Clock.systemUTC());
        try (var engine = new EngineCore(EngineSettings.defaults().withLanes(0), new MemoryInstanceTable(), port,
                null, Clock.systemUTC())) {
            engine.deploy("t", EngineCoreTest.module(EngineCoreTest.COUNTING));
            engine.submit(new InstanceRequest("t", "count", "k", Map.of(), 5, TraceContext.newTrace()));
            assertThat(ended).isEmpty();
            assertThat(engine.metrics().tracer()).isSameAs(Tracer.NOOP);
        }
    }
}
