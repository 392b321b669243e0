package io.orrery.engine.internal;

import io.orrery.api.engine.CallKind;
import io.orrery.api.engine.EngineStoppedException;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceStatus;
import io.orrery.api.engine.OutboundCall;
import io.orrery.api.engine.UnknownWorkflowException;
import io.orrery.api.fault.CrashPoints;
import io.orrery.api.trace.TraceContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The event loop of one instance: load the record, let an {@link EventStep} apply the event, save with
 * compare-and-set (reloading and applying again on a conflict with another member), and only then let the effects
 * out: calls to the queues, child workflows, parents waiting for a child, callers waiting for the instance.
 */
final class InstanceEvents {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceEvents.class);
    static final int MAX_CONFLICTS = 50;

    private final DeferredInstances deferred = new DeferredInstances();
    private final String node;
    private final InstanceTable table;
    private final WorkflowRegistry registry;
    private final EngineMetrics metrics;
    private final RecentRecords recent;
    private final CombiningDispatch outbound;
    private final Clock clock;
    private ChildWorkflows children;
    private SettledWaiters waiters;
    private Consumer<InstanceId> reevaluate = id -> { };
    private volatile boolean stopped;
    private final AtomicLong firings = new AtomicLong();
    private final AtomicLong matches = new AtomicLong();
    private final AtomicLong completions = new AtomicLong();

    InstanceEvents(String node, InstanceTable table, WorkflowRegistry registry, EngineMetrics metrics,
                   RecentRecords recent, CombiningDispatch outbound, Clock clock) {
        this.node = node;
        this.table = table;
        this.registry = registry;
        this.metrics = metrics;
        this.recent = recent;
        this.outbound = outbound;
        this.clock = clock;
    }

    /** Instances whose events this node left for a version it does not run yet. */
    DeferredInstances deferred() {
        return deferred;
    }

    void wire(ChildWorkflows children, SettledWaiters waiters, Consumer<InstanceId> reevaluate) {
        this.children = children;
        this.waiters = waiters;
        this.reevaluate = reevaluate;
    }

    /**
     * An event met while a newer version evaluated the instance last: kept in the record for that version, which
     * this node re-evaluates the instance with when it deploys it. If it was deployed here meanwhile, its deploy
     * may have taken the deferred instances already: re-evaluate it now, after this event (same lane).
     */
    private void deferLeftEvent(InstanceId id, int newer) {
        deferred.add(id);
        if (registry.workflow(id.tenant(), id.workflow()).map(w -> w.version() >= newer).orElse(false)) {
            reevaluate.accept(id);
        }
    }

    long firings() {
        return firings.get();
    }

    long matches() {
        return matches.get();
    }

    long completions() {
        return completions.get();
    }

    /**
     * Saves nothing from now on. Stopping the lanes interrupts tenant code that is running, which would read as an
     * overrun and fail its instance: an event cut short by a stop must leave the record as it was, to be done again.
     */
    void stop() {
        stopped = true;
    }

    private void requireRunning(InstanceId id) {
        if (stopped) {
            throw new EngineStoppedException(id + ": engine stopped; the event was not saved");
        }
    }

    void countMatches(int n) {
        matches.addAndGet(n);
    }

    @FunctionalInterface
    interface EventStep {
        Evaluation apply(InstanceRecord record, DeployedWorkflow workflow, boolean created);
    }

    /** Load, apply, compare-and-set; on a conflict reload and apply again. Null if the instance does not exist. */
    Evaluation process(InstanceId id, boolean create, EventStep step) {
        return process(id, create, step, null);
    }

    /** As {@link #process(InstanceId, boolean, EventStep)}, the calls made held in {@code outbox} (null: sent). */
    Evaluation process(InstanceId id, boolean create, EventStep step, CallOutbox outbox) {
        for (int attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
            InstanceRecord rec = attempt == 0 ? recent.take(id) : null;
            boolean cached = rec != null;
            if (!cached) {
                rec = table.load(id);
            }
            boolean created = rec == null;
            if (created && !create) {
                LOG.warn("{}: event for an instance that does not exist; dropped", id);
                return null;
            }
            if (created) {
                rec = newRecord(id);
            }
            DeployedWorkflow wf = registry.workflow(id.tenant(), id.workflow()).orElse(null);
            if (wf == null) {
                throw new UnknownWorkflowException(id.tenant(), id.workflow());
            }
            MDC.put("tenant", id.tenant());
            if (rec.traceId != null) {
                MDC.put("traceId", rec.traceId);
            }
            try {
                long rev = rec.revision;
                InstanceStatus before = created ? null : rec.status;
                Evaluation ev = step.apply(rec, wf, created);
                if (rec.version > wf.version()) {
                    deferLeftEvent(id, rec.version);
                }
                if (cached && !ev.changed) {
                    // Nothing to save means no compare-and-set to catch a stale copy (a result "already applied"
                    // to a copy older than the call): decide again on a fresh read.
                    continue;
                }
                matches.addAndGet(ev.matchesEvaluated);
                if (ev.duplicate) {
                    metrics.duplicate();
                }
                if (ev.changed) {
                    requireRunning(id);
                    rec.updatedAt = clock.millis();
                    if (!(created ? table.insert(rec) : table.replace(rec, rev))) {
                        continue;
                    }
                    metrics.statusChanged(before, rec.status);
                }
                recent.keep(id, rec);
                afterSave(ev, outbox);
                return ev;
            } finally {
                MDC.remove("tenant");
                MDC.remove("traceId");
            }
        }
        throw new IllegalStateException(id + ": too many concurrent updates, gave up after " + MAX_CONFLICTS);
    }

    /** Saves a record changed outside an evaluation (a re-evaluation's save); false on a conflict. */
    boolean saveReevaluated(Evaluation ev, long expectedRevision, InstanceStatus before) {
        requireRunning(ev.record.id());
        if (!table.replace(ev.record, expectedRevision)) {
            return false;
        }
        metrics.statusChanged(before, ev.record.status);
        afterSave(ev, null);
        return true;
    }

    private InstanceRecord newRecord(InstanceId id) {
        var rec = new InstanceRecord();
        rec.tenant = id.tenant();
        rec.workflow = id.workflow();
        rec.key = id.key();
        rec.createdAt = clock.millis();
        rec.traceId = TraceContext.newTrace().traceId();
        return rec;
    }

    /** Effects leave only after the record that explains them was saved; calls into the outbox if there is one. */
    private void afterSave(Evaluation ev, CallOutbox outbox) {
        ev.fired.values().forEach(n -> firings.addAndGet(n));
        if (ev.completedNow) {
            completions.incrementAndGet();
        }
        List<OutboundCall> out = new ArrayList<>(ev.calls.size());
        List<OutboundCall> childCalls = new ArrayList<>(0);
        for (OutboundCall c : ev.calls) {
            (c.kind() == CallKind.WORKFLOW ? childCalls : out).add(c);
        }
        if (!out.isEmpty()) {
            CrashPoints.reach(EngineCrashPoints.SAVED_BEFORE_DISPATCH, node);
            if (outbox != null) {
                outbox.add(out);
            } else {
                outbound.send(out);
            }
        }
        if (!childCalls.isEmpty()) {
            CrashPoints.reach(EngineCrashPoints.SAVED_BEFORE_CHILD_START, node);
            childCalls.forEach(children::start);
        }
        if (!ev.notifications.isEmpty()) {
            CrashPoints.reach(EngineCrashPoints.SAVED_BEFORE_PARENT_NOTIFIED, node);
            children.notifyParents(ev.record, ev.notifications);
        }
        waiters.saved(ev.record);
    }
}
