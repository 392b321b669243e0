package io.orrery.engine.internal.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orrery.api.engine.CallKind;
import io.orrery.api.engine.CallResult;
import io.orrery.api.engine.OutboundCall;
import io.orrery.api.queue.Claim;
import io.orrery.api.queue.ClaimRequest;
import io.orrery.api.queue.MessageState;
import io.orrery.api.queue.QueueId;
import io.orrery.api.queue.QueueService;
import io.orrery.cluster.testing.LoopbackMembers;
import io.orrery.engine.internal.InstanceRecord;
import io.orrery.queue.internal.QueueOptions;
import io.orrery.queue.internal.ShardedQueueService;
import java.time.Clock;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which pending calls of a record read back after a crash of every member get a fresh id, against the real queue
 * service on a one-member cluster: the queue states are made by sending, claiming and acknowledging as the engine
 * and the workers do.
 */
class LostOutcomesIT {

    static HazelcastInstance hz;
    static ShardedQueueService queues;
    static QueueCallPort port;
    static LostOutcomes lost;
    static SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeAll
    static void start() throws Exception {
        hz = new LoopbackMembers("orrery-engine-lost", 1).start(0);
        queues = ShardedQueueService.start(hz, QueueOptions.DEFAULTS.withPersistence(QueueOptions.Persistence.NONE),
                meters, null);
        port = new QueueCallPort(queues, Clock.systemUTC());
        lost = new LostOutcomes(queues, meters);
    }

    @AfterAll
    static void stop() {
        queues.close();
        hz.getLifecycleService().terminate();
    }

    /** A record as the restore reads it back: in epoch 1, five calls handed out before. */
    static InstanceRecord restored(String tenant) {
        InstanceRecord rec = new InstanceRecord();
        rec.tenant = tenant;
        rec.workflow = "wf";
        rec.key = "k";
        rec.epoch = 1;
        rec.callSeq = 5;
        return rec;
    }

    static InstanceRecord.Pending pending(String rule, CallKind kind) {
        return new InstanceRecord.Pending(rule, kind, kind == CallKind.TIMER ? null : "encode", Map.of("n", 1), null,
                5, 5000, 0, null, kind == CallKind.TIMER ? 60_000 : 0, 0);
    }

    /** Sends the record's call as the engine does; answers its claim by a worker. */
    static Claim sentAndClaimed(InstanceRecord rec, String callId, String queue) throws InterruptedException {
        var call = new OutboundCall(rec.id(), callId, "r", CallKind.FUNCTION, "encode",
                Map.of("n", 1), null, 5, 5000, 1, null, 0, null);
        port.dispatch(List.of(call));
        return claimOne(QueueId.of(rec.tenant, queue));
    }

    static Claim claimOne(QueueId queue) throws InterruptedException {
        List<Claim> claims = queues.claim(new ClaimRequest(List.of(queue), 1, null, Duration.ofSeconds(5)));
        assertThat(claims).hasSize(1);
        return claims.get(0);
    }

    /** A call run and its result applied and acknowledged: every message of it finished in the queues. */
    static void runAndApply(InstanceRecord rec, String callId) throws InterruptedException {
        Claim call = sentAndClaimed(rec, callId, QueueCallPort.FUNCTIONS);
        port.sendResults(List.of(CallResult.success(rec.id(), callId, Map.of("ok", true), 1)));
        queues.ack(call);
        queues.ack(claimOne(QueueId.of(rec.tenant, QueueCallPort.RESULTS)));
    }

    @Test
    void aCallWhoseResultWasAppliedAndAcknowledgedGetsAFreshIdAndTheOthersKeepTheirs() throws Exception {
        InstanceRecord rec = restored("lost1");
        runAndApply(rec, "c1");
        sentAndClaimed(rec, "c2", QueueCallPort.FUNCTIONS); // still running: its result is to come
        rec.pending.put("c1", pending("applied", CallKind.FUNCTION));
        rec.pending.put("c2", pending("running", CallKind.FUNCTION));
        rec.pending.put("c3", pending("never sent", CallKind.FUNCTION)); // saved just before the crash
        double before = meters.counter("orrery.engine.calls.reissued").count();

        assertThat(lost.reissue(rec)).isEqualTo(1);

        assertThat(rec.pending.keySet()).containsExactlyInAnyOrder("c2", "c3", "c6.1");
        assertThat(rec.pending.get("c6.1").rule()).isEqualTo("applied");
        assertThat(rec.callSeq).isEqualTo(6);
        assertThat(meters.counter("orrery.engine.calls.reissued").count()).isEqualTo(before + 1);
    }

    @Test
    void aCallFinishedWhoseResultTheQueuesNoLongerKnowGetsAFreshId() throws Exception {
        InstanceRecord rec = restored("lost2");
        queues.ack(sentAndClaimed(rec, "c1", QueueCallPort.FUNCTIONS)); // the result's enqueue was never written
        rec.pending.put("c1", pending("applied", CallKind.FUNCTION));

        assertThat(lost.reissue(rec)).isEqualTo(1);

        assertThat(rec.pending).containsOnlyKeys("c6.1");
    }

    @Test
    void aResultStillQueuedKeepsItsCallsIdThoughTheCallFinished() throws Exception {
        InstanceRecord rec = restored("lost3");
        Claim call = sentAndClaimed(rec, "c1", QueueCallPort.FUNCTIONS);
        port.sendResults(List.of(CallResult.success(rec.id(), "c1", Map.of("ok", true), 1)));
        queues.ack(call);
        rec.pending.put("c1", pending("waiting", CallKind.FUNCTION));

        assertThat(lost.reissue(rec)).isZero();

        assertThat(rec.pending).containsOnlyKeys("c1");
        assertThat(rec.callSeq).isEqualTo(5);
    }

    @Test
    void aFiredTimerGetsAFreshIdAndAWaitingOneKeepsItsOwn() throws Exception {
        InstanceRecord rec = restored("lost4");
        port.dispatch(List.of(timer(rec, "c1", 0), timer(rec, "c2", 60_000)));
        queues.ack(claimOne(QueueId.of(rec.tenant, QueueCallPort.RESULTS))); // c1 fired and was applied
        rec.pending.put("c1", pending("fired", CallKind.TIMER));
        rec.pending.put("c2", pending("waiting", CallKind.TIMER));

        assertThat(lost.reissue(rec)).isEqualTo(1);

        assertThat(rec.pending.keySet()).containsExactlyInAnyOrder("c2", "c6.1");
        assertThat(rec.pending.get("c6.1").rule()).isEqualTo("fired");
    }

    @Test
    void aCallStillQueuedWhoseResultWasAppliedIsCancelledAndRunsOnceUnderItsFreshId() throws Exception {
        // The results' journal wrote the result's finish; the calls' journal lost the call's: it comes back waiting.
        InstanceRecord rec = restored("lost5");
        Claim call = sentAndClaimed(rec, "c1", QueueCallPort.FUNCTIONS);
        port.sendResults(List.of(CallResult.success(rec.id(), "c1", Map.of("ok", true), 1)));
        queues.ack(claimOne(QueueId.of(rec.tenant, QueueCallPort.RESULTS)));
        queues.nack(call, Duration.ZERO, "its finish was lost");
        rec.pending.put("c1", pending("applied", CallKind.FUNCTION));

        assertThat(lost.reissue(rec)).isEqualTo(1);

        assertThat(rec.pending).containsOnlyKeys("c6.1");
        assertThat(queues.find(QueueId.of(rec.tenant, QueueCallPort.FUNCTIONS), QueueCallPort.callMessageId(rec.id(),
                "c1")).orElseThrow().state()).isEqualTo(MessageState.CANCELLED);
    }

    @Test
    void aCallTheQueuesCannotBeAskedAboutKeepsItsId() {
        QueueService failing = (QueueService) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {QueueService.class}, (proxy, method, args) -> {
                    throw new IllegalStateException("no majority of members");
                });
        InstanceRecord rec = restored("lost8");
        rec.pending.put("c1", pending("unknown", CallKind.FUNCTION));

        assertThat(new LostOutcomes(failing, meters).reissue(rec)).isZero();

        assertThat(rec.pending).containsOnlyKeys("c1");
    }

    @Test
    void aCallWhoseResultTheRecordKeepsParkedKeepsItsId() throws Exception {
        // Applied while the instance had failed: the result waits in the stored record for a retry, under its call id.
        InstanceRecord rec = restored("lost7");
        runAndApply(rec, "c1");
        rec.pending.put("c1", pending("parked", CallKind.FUNCTION));
        rec.parked.add(new InstanceRecord.Parked("c1", Map.of("ok", true), null, 1));

        assertThat(lost.reissue(rec)).isZero();

        assertThat(rec.pending).containsOnlyKeys("c1");
    }

    @Test
    void aChildWorkflowsCallIsLeftToItsReconciliation() {
        InstanceRecord rec = restored("lost6");
        rec.pending.put("c1", pending("child", CallKind.WORKFLOW));

        assertThat(lost.reissue(rec)).isZero();

        assertThat(rec.pending).containsOnlyKeys("c1");
    }

    static OutboundCall timer(InstanceRecord rec, String callId, long delayMs) {
        return new OutboundCall(rec.id(), callId, "r", CallKind.TIMER, null, Map.of(), null, 5,
                0, 1, null, delayMs, null);
    }
}
