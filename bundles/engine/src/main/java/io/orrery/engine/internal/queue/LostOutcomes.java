package io.orrery.engine.internal.queue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orrery.api.engine.CallKind;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.queue.MessageInfo;
import io.orrery.api.queue.QueueId;
import io.orrery.api.queue.QueueService;
import io.orrery.engine.internal.InstanceRecord;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pending calls, in a record read back from the store after a crash of every member, whose outcome the queues
 * have spent: the result was applied and acknowledged, and the save holding it never reached the store (results are
 * acknowledged once saved in the map, see {@link ResultConsumer}). Sent again under its id, such a call would be
 * refused, the queue knowing the id as finished, and its instance would wait for ever; it gets a fresh id instead,
 * and runs once more.
 *
 * <p>An id's outcome is spent when the queues know its result (a timer's: the timer itself) as finished, or, knowing
 * no result, know the call as finished. A call whose result is still to come (held by a queue: waiting, delayed,
 * leased or dead, which an admin may replay) keeps its id, and so does one the queues know nothing of, since sending
 * it again is accepted, and so does one whose result the record keeps parked. The fresh id is in the restore's epoch,
 * which no id the queues hold carries (see {@code RestoreGenerations}). A call message of the old id still waiting
 * (its finish was lost, its result's was not) is cancelled, so that the call runs once more, not twice. A call the
 * queues cannot be asked about keeps its id, as before this check, and is logged.
 */
public final class LostOutcomes {

    private static final Logger LOG = LoggerFactory.getLogger(LostOutcomes.class);

    private enum Outcome { TO_COME, SPENT, UNKNOWN }

    private final QueueService queues;
    private final Counter reissued;

    /** @param meters null for a private registry */
    public LostOutcomes(QueueService queues, MeterRegistry meters) {
        this.queues = queues;
        this.reissued = Counter.builder("orrery.engine.calls.reissued")
                .description("pending calls issued again under a fresh id after a restore found their outcome spent")
                .register(meters == null ? new SimpleMeterRegistry() : meters);
    }

    /** Moves each pending call of {@code rec} whose outcome is spent to a fresh id; answers how many it moved. */
    public int reissue(InstanceRecord rec) {
        int moved = 0;
        for (String callId : List.copyOf(rec.pending.keySet())) {
            InstanceRecord.Pending call = rec.pending.get(callId);
            if (call.kind() == CallKind.WORKFLOW || parked(rec, callId) || !spent(rec.id(), callId, call.kind())) {
                continue; // a child workflow's call is the restore's to reconcile: no queue holds it
            }
            if (call.kind() == CallKind.FUNCTION) {
                cancel(rec.id(), callId);
            }
            String fresh = rec.nextCallId();
            rec.pending.remove(callId);
            rec.pending.put(fresh, call);
            moved++;
            LOG.info("{}: call {} of rule {} ({}) issued again as {}: its result was applied, but the save holding "
                    + "it was lost with the cluster", rec.id(), callId, call.rule(), call.target(), fresh);
        }
        reissued.increment(moved);
        return moved;
    }

    /** Whether the record keeps the call's result, applied while the instance had failed, for a retry. */
    private static boolean parked(InstanceRecord rec, String callId) {
        return rec.parked.stream().anyMatch(p -> p.callId().equals(callId));
    }

    private void cancel(InstanceId id, String callId) {
        try {
            queues.cancel(QueueId.of(id.tenant(), QueueCallPort.FUNCTIONS), QueueCallPort.callMessageId(id, callId));
        } catch (RuntimeException e) {
            LOG.warn("{}: call {} issued again, but its old message could not be cancelled and may run too: {}", id,
                    callId, e.toString());
        }
    }

    private boolean spent(InstanceId id, String callId, CallKind kind) {
        try {
            return outcome(id, callId, kind) == Outcome.SPENT;
        } catch (RuntimeException e) {
            LOG.warn("{}: cannot tell whether call {} lost its result, sent again under its id: {}", id, callId,
                    e.toString());
            return false;
        }
    }

    private Outcome outcome(InstanceId id, String callId, CallKind kind) {
        QueueId results = QueueId.of(id.tenant(), QueueCallPort.RESULTS);
        if (kind == CallKind.TIMER) {
            return of(queues.find(results, QueueCallPort.timerMessageId(id, callId)));
        }
        Outcome result = of(queues.find(results, QueueCallPort.resultMessageId(id, callId)));
        return result != Outcome.UNKNOWN ? result
                : of(queues.find(QueueId.of(id.tenant(), QueueCallPort.FUNCTIONS),
                        QueueCallPort.callMessageId(id, callId)));
    }

    private static Outcome of(Optional<MessageInfo> message) {
        return message.map(m -> m.state().isFinal() ? Outcome.SPENT : Outcome.TO_COME).orElse(Outcome.UNKNOWN);
    }
}
