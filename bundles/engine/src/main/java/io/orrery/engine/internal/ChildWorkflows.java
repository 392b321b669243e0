package io.orrery.engine.internal;

import io.orrery.api.engine.CallResult;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceStatus;
import io.orrery.api.engine.OutboundCall;
import io.orrery.api.trace.TraceContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Child workflows: a parent's {@code workflow 'name', input} call starts (or joins) the child instance with the
 * parent as a waiter, and the child's completion or failure comes back to the parent as the call's result.
 *
 * <p>Both hand-overs happen after a save, in memory, so a node that dies right after the parent's save never starts
 * the child, and one that dies right after the child's last save never tells the parent. {@link #reconcile} closes
 * both windows from the parent's side: a survivor (or the restored cluster) looks at the child of every workflow call
 * still pending and starts it, or tells the parent what it missed. Everything here is idempotent: a child holds a
 * waiter once, and a parent applies a call's result once.
 */
final class ChildWorkflows {

    private static final Logger LOG = LoggerFactory.getLogger(ChildWorkflows.class);

    private final InstanceTable table;
    private final WorkflowRegistry registry;
    private final EvaluationLanes lanes;
    private final InstanceEvaluator evaluator;
    private final InstanceEvents events;
    private final BiFunction<CallResult, TraceContext, CompletableFuture<Void>> deliver;
    private final LaterAttempts later;
    /** Reconciliations waiting for the child's workflow to be deployed on this node (a restore at start-up). */
    private final Map<String, List<OutboundCall>> deferred = new ConcurrentHashMap<>();

    ChildWorkflows(InstanceTable table, WorkflowRegistry registry, EvaluationLanes lanes, InstanceEvaluator evaluator,
                   InstanceEvents events, BiFunction<CallResult, TraceContext, CompletableFuture<Void>> deliver,
                   LaterAttempts later) {
        this.table = table;
        this.registry = registry;
        this.lanes = lanes;
        this.evaluator = evaluator;
        this.events = events;
        this.deliver = deliver;
        this.later = later;
    }

    /** Starts the child of a workflow call just saved, or adds the parent as a waiter of an existing one. */
    void start(OutboundCall c) {
        InstanceId child = childOf(c);
        lanes.execute(child, () -> join(c, child));
    }

    private void join(OutboundCall c, InstanceId child) {
        // The child's firings nest under the parent's firing that called it, in the parent's trace.
        TraceContext cause = c.traceId() == null || c.parentSpanId() == null ? null
                : new TraceContext(c.traceId(), c.parentSpanId());
        try {
            EvaluationCause.under(cause, () -> events.process(child, true, (rec, wf, created) -> {
                if (created) {
                    rec.priority = c.priority();
                    rec.traceId = c.traceId();
                }
                return evaluator.onInput(rec, wf, c.args(), waiterOf(c), created);
            }));
        } catch (IllegalArgumentException e) {
            tell(CallResult.failure(c.instance(), c.callId(), e.getMessage(), 1), null, 1);
        }
    }

    /**
     * Tells the child's waiting parents that it completed or failed; again later if a parent could not take it.
     * Called after the child's save, on its lane; the parents are told once that save is durable, so that no crash
     * keeps a parent's step on a child's result and loses the child's (or the whole child). Their reactions nest
     * under what caused the child's last step.
     */
    void notifyParents(InstanceRecord child, List<Evaluation.Notification> notifications) {
        TraceContext cause = EvaluationCause.current();
        Runnable tellAll = () -> {
            for (Evaluation.Notification n : notifications) {
                InstanceRecord.Waiter w = n.waiter();
                tell(n.error() == null ? CallResult.success(w.instance(), w.callId(), n.output(), 1)
                        : CallResult.failure(w.instance(), w.callId(), n.error(), 1), cause, 1);
            }
        };
        CompletableFuture<Void> durable = table.whenDurable(child);
        if (durable.isDone()) {
            tellAll.run();
        } else {
            durable.thenRun(() -> lanes.execute(child.id(), tellAll)); // off the journal's writer at once
        }
    }

    private void tell(CallResult result, TraceContext cause, int attempt) {
        // Again after an Error too (out of memory, a class not loadable yet): a parent never told waits for good.
        deliver.apply(result, cause).whenComplete((done, failed) -> {
            if (failed != null) {
                Duration pause = later.after(attempt, () -> tell(result, cause, attempt + 1));
                LOG.warn("{}: could not be told of call {}; telling it again in {} ms", result.instance(),
                        result.callId(), pause.toMillis());
            }
        });
    }

    /**
     * A parent's workflow call found pending after a crash: start the child if it never was, tell the parent if the
     * child finished without telling it, and otherwise leave it (the child holds the parent as a waiter).
     */
    void reconcile(OutboundCall c) {
        InstanceId child = childOf(c);
        if (registry.workflow(child.tenant(), child.workflow()).isEmpty()) {
            deferred.computeIfAbsent(child.tenant() + "/" + child.workflow(), k -> new ArrayList<>()).add(c);
            return;
        }
        lanes.execute(child, () -> {
            InstanceRecord rec = table.load(child);
            InstanceRecord.Waiter waiter = waiterOf(c);
            if (rec != null && rec.waiters.contains(waiter)) {
                return;
            }
            if (rec != null && rec.status == InstanceStatus.FAILED) {
                LOG.info("{}: child {} failed without telling its parent; telling it now", c.instance(), child);
                tell(CallResult.failure(c.instance(), c.callId(), rec.failure, 1), null, 1);
                return;
            }
            // Never started, or completed without telling the parent: joining tells it at once if complete.
            join(c, child);
        });
    }

    /** The workflow was deployed here: reconciliations that waited for it run now. */
    void deployed(String tenant, String workflow) {
        List<OutboundCall> waiting = deferred.remove(tenant + "/" + workflow);
        if (waiting != null) {
            waiting.forEach(this::reconcile);
        }
    }

    private static InstanceId childOf(OutboundCall c) {
        return new InstanceId(c.instance().tenant(), c.function(), c.key());
    }

    private static InstanceRecord.Waiter waiterOf(OutboundCall c) {
        return new InstanceRecord.Waiter(c.instance().tenant(), c.instance().workflow(), c.instance().key(),
                c.callId());
    }
}
