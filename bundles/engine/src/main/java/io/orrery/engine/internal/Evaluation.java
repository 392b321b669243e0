package io.orrery.engine.internal;

import io.orrery.api.engine.OutboundCall;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One event's work on one instance record: what changed, what fired, what must go out after the save. */
final class Evaluation {

    final InstanceRecord record;
    final DeployedWorkflow workflow;
    final Set<String> dirty = new HashSet<>();
    final List<OutboundCall> calls = new ArrayList<>();
    final List<Notification> notifications = new ArrayList<>();
    final Map<String, Integer> fired = new LinkedHashMap<>();
    int matchesEvaluated;
    boolean changed;
    boolean duplicate;
    boolean completedNow;
    /** The span of the rule section running now, or null untraced: the parent of the calls it makes. */
    io.orrery.api.trace.TraceContext firing;

    Evaluation(InstanceRecord record, DeployedWorkflow workflow) {
        this.record = record;
        this.workflow = workflow;
    }

    /** A parent to tell that this instance completed (output) or failed (error). */
    record Notification(InstanceRecord.Waiter waiter, Map<String, Object> output, String error) {
    }
}
