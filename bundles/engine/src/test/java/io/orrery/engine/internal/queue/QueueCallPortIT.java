package io.orrery.engine.internal.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orrery.api.engine.CallKind;
import io.orrery.api.engine.CallResult;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.api.engine.InstanceStatus;
import io.orrery.api.engine.OutboundCall;
import io.orrery.api.function.CallInbox;
import io.orrery.api.queue.MessageState;
import io.orrery.api.queue.QueueId;
import io.orrery.cluster.testing.LoopbackMembers;
import io.orrery.emirax.EmiraxCompiler;
import io.orrery.emirax.EmiraxSource;
import io.orrery.engine.internal.EngineCore;
import io.orrery.engine.internal.EngineSettings;
import io.orrery.engine.internal.hazelcast.HazelcastInstanceTable;
import io.orrery.queue.internal.QueueOptions;
import io.orrery.queue.internal.ShardedQueueService;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The queue adapter against a real one-member Hazelcast cluster and the real queue service. */
class QueueCallPortIT {

    static HazelcastInstance hz;
    static ShardedQueueService queues;
    static QueueCallPort port;

    @BeforeAll
    static void start() throws Exception {
        hz = new LoopbackMembers("orrery-engine-port", 1).start(0); // the product's member configuration
        queues = ShardedQueueService.start(hz, QueueOptions.DEFAULTS.withPersistence(QueueOptions.Persistence.NONE),
                new SimpleMeterRegistry(), null);
        port = new QueueCallPort(queues, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        queues.close();
        hz.getLifecycleService().terminate();
    }

    static OutboundCall call(String tenant, String callId, CallKind kind, long delayMs) {
        return new OutboundCall(new InstanceId(tenant, "wf", "key-1"), callId, "rule", kind,
                kind == CallKind.TIMER ? null : "media.encode", Map.of("uri", "s3://a", "n", 3), "chunk-1", 7, 5000, 3,
                kind == CallKind.TIMER ? null : "x", delayMs, "0af7651916cd43dd8448eb211c80319c");
    }

    @Test
    void aCallCrossesTheFunctionQueueWithItsAttributesOnceHowOftenItIsDispatched() throws Exception {
        OutboundCall sent = call("port1", "c1", CallKind.FUNCTION, 0);
        port.dispatch(List.of(sent));
        port.dispatch(List.of(sent)); // a re-dispatch after a crash
        QueueId functions = QueueId.of("port1", QueueCallPort.FUNCTIONS);
        assertThat(queues.stats(functions).depth()).isEqualTo(1);
        var info = queues.find(functions, sent.messageId()).orElseThrow();
        assertThat(info.message().priority()).isEqualTo(7);
        assertThat(info.message().exclusiveKey()).isEqualTo("x");
        assertThat(info.message().trace().traceId()).isEqualTo(sent.traceId());
        assertThat(info.message().maxAttempts()).isEqualTo(4);

        List<CallInbox.ClaimedCall> claimed = port.claim(10, Duration.ofSeconds(5));
        assertThat(claimed).hasSize(1);
        assertThat(claimed.get(0).call()).isEqualTo(sent);
        assertThat(claimed.get(0).attempt()).isEqualTo(1);

        port.retryLater(claimed.get(0), Duration.ofMillis(100), "flaky");
        List<CallInbox.ClaimedCall> again = port.claim(10, Duration.ofSeconds(5));
        assertThat(again).hasSize(1);
        assertThat(again.get(0).attempt()).isEqualTo(2);
        port.completeAll(again);
        assertThat(queues.stats(functions).depth()).isZero();
    }

    @Test
    void aTimerWaitsInTheResultsQueueAndResultsAreEnqueuedOncePerCall() throws Exception {
        QueueId results = QueueId.of("port2", QueueCallPort.RESULTS);
        port.dispatch(List.of(call("port2", "t1", CallKind.TIMER, 60_000)));
        assertThat(queues.stats(results).count(MessageState.DELAYED)).isEqualTo(1);

        var result = CallResult.success(new InstanceId("port2", "wf", "key-1"), "c9", Map.of("uri", "out"), 1);
        port.sendResults(List.of(result));
        port.sendResults(List.of(result));
        assertThat(queues.stats(results).count(MessageState.PENDING)).isEqualTo(1);
        var claims = queues.claim(new io.orrery.api.queue.ClaimRequest(List.of(results), 10, null, Duration.ZERO));
        assertThat(claims).hasSize(1);
        assertThat(QueueCallPort.read(claims.get(0).message().payload(), CallResult.class)).isEqualTo(result);
        queues.ackAll(claims);
    }

    @Test
    void theResultConsumerAppliesResultsAndTimersOnceAndAcknowledgesDuplicates() throws Exception {
        var module = new EmiraxCompiler().compile(List.of(new EmiraxSource("port.groovy", """
                workflow('port') {
                    rule('ask')   { match { !state.answer }; action { call 'answer', [q: key] }
                                    reaction { r -> state.answer = r.a } }
                    rule('later') { match { state.answer && !state.fired }; action { after '200ms' }
                                    reaction { r -> state.fired = r.firedAt; complete(output: [a: state.answer]) } }
                }
                """))).load(getClass().getClassLoader());
        var table = new HazelcastInstanceTable(hz);
        try (var engine = new EngineCore(EngineSettings.defaults().withLanes(2), table, port, null, Clock.systemUTC());
             var results = new ResultConsumer(queues, engine, 1, 64)) {
            engine.deploy("port3", module);
            var id = new InstanceId("port3", "port", "k1");
            engine.submit(InstanceRequest.of("port3", "port", "k1", Map.of()));
            var claims = queues.claim(new io.orrery.api.queue.ClaimRequest(
                    List.of(QueueId.of("port3", QueueCallPort.FUNCTIONS)), 1, null, Duration.ofSeconds(5)));
            OutboundCall ask = QueueCallPort.read(claims.get(0).message().payload(), OutboundCall.class);
            queues.ackAll(claims);
            var answer = CallResult.success(ask.instance(), ask.callId(), Map.of("a", 42), 1);
            port.sendResults(List.of(answer));
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.find(id).orElseThrow().completed());
            var done = engine.find(id).orElseThrow();
            assertThat(done.status()).isEqualTo(InstanceStatus.IDLE);
            assertThat(done.output()).isEqualTo(Map.of("a", 42));

            // The same result again, after the queue forgot it: applied already, acknowledged, counted.
            queues.purge(QueueId.of("port3", QueueCallPort.RESULTS));
            var late = CallResult.success(ask.instance(), ask.callId(), Map.of("a", 43), 2);
            queues.enqueue(io.orrery.api.queue.QueueMessage.builder(QueueId.of("port3", QueueCallPort.RESULTS))
                    .payload(QueueCallPort.write(late)).build());
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    engine.metrics().registry().counter("orrery.engine.results.duplicate").count() >= 1);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    queues.stats(QueueId.of("port3", QueueCallPort.RESULTS)).depth() == 0);
            assertThat(engine.find(id).orElseThrow().state()).containsEntry("answer", 42);
        }
    }

    @Test
    void aResultWhoseApplicationFailedIsNotAcknowledgedAndIsAppliedWhenRedelivered() throws Exception {
        String tenant = "port5";
        var module = new EmiraxCompiler().compile(List.of(new EmiraxSource("ask.groovy", """
                workflow('ask') {
                    rule('ask') { match { !state.answer }; action { call 'answer', [q: key] }
                                  reaction { r -> state.answer = r.a } }
                }
                """))).load(getClass().getClassLoader());
        var table = new io.orrery.engine.internal.FailingSaves(new HazelcastInstanceTable(hz), 0);
        try (var engine = new EngineCore(EngineSettings.defaults().withLanes(2), table, port, null, Clock.systemUTC());
             var results = new ResultConsumer(queues, engine, 1, 64)) {
            engine.deploy(tenant, module);
            var id = new InstanceId(tenant, "ask", "k");
            engine.submit(InstanceRequest.of(tenant, "ask", "k", Map.of()));
            var claims = queues.claim(new io.orrery.api.queue.ClaimRequest(
                    List.of(QueueId.of(tenant, QueueCallPort.FUNCTIONS)), 1, null, Duration.ofSeconds(5)));
            OutboundCall ask = QueueCallPort.read(claims.get(0).message().payload(), OutboundCall.class);
            queues.ackAll(claims);

            table.failNext(1); // the member holding the record goes while the result is applied
            port.sendResults(List.of(CallResult.success(ask.instance(), ask.callId(), Map.of("a", 42), 1)));
            await().atMost(Duration.ofSeconds(15)).until(() -> engine.find(id).orElseThrow().status()
                    == InstanceStatus.IDLE);
            assertThat(engine.find(id).orElseThrow().state()).containsEntry("answer", 42);
        }
    }

    /** The port, counting the calls of each send. */
    static final class CountedSends implements io.orrery.engine.internal.CallDispatch {
        final List<Integer> sizes = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void dispatch(List<OutboundCall> calls) {
            sizes.add(calls.size());
            port.dispatch(calls);
        }
    }

    static final String CHAIN = """
            workflow('chain') {
                rule('a') { match { !state.a }; action { call 'a', [k: key] }; reaction { r -> state.a = r.n } }
                rule('b') { match { state.a && !state.b }; action { call 'b', [k: key] }; reaction { r -> state.b = 1 } }
            }
            """;

    /** Claims {@code n} calls from the tenant's function queue, acknowledged, and answers each with n = 1. */
    static List<CallResult> answered(String tenant, int n) throws InterruptedException {
        List<CallResult> answers = new java.util.ArrayList<>();
        while (answers.size() < n) {
            var claims = queues.claim(new io.orrery.api.queue.ClaimRequest(
                    List.of(QueueId.of(tenant, QueueCallPort.FUNCTIONS)), n, null, Duration.ofSeconds(5)));
            assertThat(claims).as("calls claimed so far: %d of %d", answers.size(), n).isNotEmpty();
            for (var c : claims) {
                OutboundCall call = QueueCallPort.read(c.message().payload(), OutboundCall.class);
                answers.add(CallResult.success(call.instance(), call.callId(), Map.of("n", 1), 1));
            }
            queues.ackAll(claims);
        }
        return answers;
    }

    @Test
    void theCallsCausedByAClaimedBatchOfResultsLeaveTogetherOnceTheBatchIsApplied() throws Exception {
        String tenant = "port6";
        int n = 40;
        var module = new EmiraxCompiler().compile(List.of(new EmiraxSource("chain.groovy", CHAIN)))
                .load(getClass().getClassLoader());
        var sends = new CountedSends();
        try (var engine = new EngineCore(EngineSettings.defaults().withLanes(2), new HazelcastInstanceTable(hz),
                sends, null, Clock.systemUTC())) {
            engine.deploy(tenant, module);
            for (int i = 0; i < n; i++) {
                engine.submit(InstanceRequest.of(tenant, "chain", "k" + i, Map.of()));
            }
            port.sendResults(answered(tenant, n)); // every result waits in the results queue before any is claimed
            sends.sizes.clear();
            try (var results = new ResultConsumer(queues, engine, 1, 64)) {
                await().atMost(Duration.ofSeconds(15)).until(() ->
                        sends.sizes.stream().mapToInt(Integer::intValue).sum() == n);
            }
            // A send per claim of the consumer (a claim takes a batch from one shard), not one per result applied.
            assertThat(sends.sizes).as("calls per send").hasSizeLessThanOrEqualTo(n / 8);
            assertThat(queues.stats(QueueId.of(tenant, QueueCallPort.FUNCTIONS)).depth()).isEqualTo(n);
        }
    }

    @Test
    void aResultOfTheBatchThatCannotBeAppliedHoldsBackNoCallOfTheOthers() throws Exception {
        String tenant = "port7";
        int n = 10;
        var module = new EmiraxCompiler().compile(List.of(new EmiraxSource("chain.groovy", CHAIN)))
                .load(getClass().getClassLoader());
        try (var engine = new EngineCore(EngineSettings.defaults().withLanes(2), new HazelcastInstanceTable(hz),
                port, null, Clock.systemUTC())) {
            engine.deploy(tenant, module);
            for (int i = 0; i < n; i++) {
                engine.submit(InstanceRequest.of(tenant, "chain", "k" + i, Map.of()));
            }
            List<CallResult> answers = answered(tenant, n);
            QueueId results = QueueId.of(tenant, QueueCallPort.RESULTS);
            queues.configure(results, queues.settings(results).withMaxAttempts(1));
            // Unreadable results beside the good ones (spread over the queue's shards by id, so in the same claims).
            for (int j = 0; j < 8; j++) {
                queues.enqueue(io.orrery.api.queue.QueueMessage.builder(results).id("junk-" + j)
                        .payload(new byte[] {'{', 'x'}).build());
            }
            port.sendResults(answers);
            try (var consumer = new ResultConsumer(queues, engine, 1, 64)) {
                await().atMost(Duration.ofSeconds(15)).until(() ->
                        queues.stats(QueueId.of(tenant, QueueCallPort.FUNCTIONS)).depth() == n);
                await().atMost(Duration.ofSeconds(15)).until(() -> queues.stats(results).dead() == 8);
            }
            for (int i = 0; i < n; i++) {
                assertThat(engine.find(new InstanceId(tenant, "chain", "k" + i)).orElseThrow().state())
                        .containsEntry("a", 1);
            }
        }
    }
}
