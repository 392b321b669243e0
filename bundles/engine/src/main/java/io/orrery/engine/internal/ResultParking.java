package io.orrery.engine.internal;

import io.orrery.api.engine.CallResult;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A result for a workflow not deployed here (undeployed, or not deployed on this node yet) is kept in the instance's
 * record and applied when the workflow is deployed again, never dropped.
 */
final class ResultParking {

    private static final Logger LOG = LoggerFactory.getLogger(ResultParking.class);

    private final InstanceTable table;
    private final WorkflowRegistry registry;
    private final EvaluationLanes lanes;
    private final InstanceEvents events;
    private final InstanceEvaluator evaluator;
    private final Clock clock;

    ResultParking(InstanceTable table, WorkflowRegistry registry, EvaluationLanes lanes, InstanceEvents events,
                  InstanceEvaluator evaluator, Clock clock) {
        this.table = table;
        this.registry = registry;
        this.lanes = lanes;
        this.events = events;
        this.evaluator = evaluator;
        this.clock = clock;
    }

    void park(CallResult result) {
        for (int attempt = 0; attempt < InstanceEvents.MAX_CONFLICTS; attempt++) {
            InstanceRecord rec = table.load(result.instance());
            if (rec == null || !rec.pending.containsKey(result.callId())
                    || rec.parked.stream().anyMatch(p -> p.callId().equals(result.callId()))) {
                return;
            }
            long rev = rec.revision;
            rec.parked.add(new InstanceRecord.Parked(result.callId(), result.result(), result.error(),
                    result.attempts()));
            rec.updatedAt = clock.millis();
            if (table.replace(rec, rev)) {
                events.deferred().add(result.instance());
                LOG.warn("{}: workflow not deployed; result of call {} kept until it is", result.instance(),
                        result.callId());
                if (registry.workflow(result.instance().tenant(), result.instance().workflow()).isPresent()) {
                    // Deployed meanwhile, and its re-evaluation may have read the record before this save.
                    lanes.execute(result.instance(), () -> events.process(result.instance(), false,
                            (r, w, created) -> evaluator.onReevaluate(r, w)));
                }
                return;
            }
        }
        throw new IllegalStateException(result.instance() + ": result of call " + result.callId()
                + " could not be kept: too many concurrent updates");
    }
}
