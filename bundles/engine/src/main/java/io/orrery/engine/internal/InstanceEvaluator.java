package io.orrery.engine.internal;

import io.orrery.api.engine.CallFailedException;
import io.orrery.api.engine.CallKind;
import io.orrery.api.engine.CallRequest;
import io.orrery.api.engine.CallResult;
import io.orrery.api.engine.FiringKind;
import io.orrery.api.engine.InstanceStatus;
import io.orrery.api.engine.JsonData;
import io.orrery.api.engine.RuleDefinition;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one event to one instance record, in memory, with no I/O: a request's input, a settled call, a new
 * workflow version, a retry; then lets the {@link RuleChain} fire what the event woke.
 *
 * <p>During a rolling deploy two versions of a workflow are live on different nodes. A node whose version is older
 * than the one that last evaluated an instance does not evaluate it (it would drop the results of rules it does not
 * know and let them fire again): it keeps results and input for the newer version, which applies them.
 */
public final class InstanceEvaluator {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceEvaluator.class);

    private final RuleChain rules;

    public InstanceEvaluator(EngineSettings settings, TenantCodeGuard guard, EngineMetrics metrics, Clock clock) {
        this.rules = new RuleChain(settings, guard, metrics, clock);
    }

    /** A request for the instance: merge its input (validated), then evaluate what it changed. */
    Evaluation onInput(InstanceRecord rec, DeployedWorkflow wf, Map<String, Object> request,
                       InstanceRecord.Waiter waiter, boolean created) {
        var ev = new Evaluation(rec, wf);
        Map<String, Object> merged = JsonData.copyMap(wf.definition().mergeInput(rec.input, request), "input");
        Set<String> changed = new HashSet<>();
        for (var e : merged.entrySet()) {
            if (!Objects.equals(rec.input.get(e.getKey()), e.getValue())) {
                changed.add("i:" + e.getKey());
            }
        }
        rec.input = merged;
        boolean newWaiter = waiter != null && !rec.waiters.contains(waiter);
        if (newWaiter) {
            rec.waiters.add(waiter);
        }
        rec.episode.clear();
        ev.changed = created || !changed.isEmpty() || newWaiter;
        if (rec.status == InstanceStatus.FAILED) {
            return ev; // the facts are kept; nothing runs until retried
        }
        if (created) {
            rec.version = wf.version();
            wf.agenda().forEach(r -> ev.dirty.add(r.name()));
        } else if (behind(rec, wf)) {
            forgetReadsOf(rec, changed); // the newer version evaluates these rules again when it meets the instance
        } else {
            forgetRemovedRules(ev);
            applyParked(ev);
            rules.markDependents(ev, changed);
        }
        if (!behind(rec, wf)) {
            rules.chain(ev);
            advance(ev);
        }
        if (newWaiter && rec.status == InstanceStatus.IDLE && rec.output != null && !ev.completedNow) {
            ev.notifications.add(new Evaluation.Notification(waiter, rec.output, null)); // already complete
            rec.waiters.remove(waiter);
        }
        return ev;
    }

    /** A settled call: applied once (a duplicate finds its call no longer pending), then evaluate. */
    Evaluation onResult(InstanceRecord rec, DeployedWorkflow wf, CallResult result) {
        var ev = new Evaluation(rec, wf);
        InstanceRecord.Pending pending = rec.pending.get(result.callId());
        boolean parked = rec.parked.stream().anyMatch(p -> p.callId().equals(result.callId()));
        if (pending == null || parked) {
            ev.duplicate = true; // counted by the engine once the record proved fresh
            return ev;
        }
        ev.changed = true;
        if (rec.status == InstanceStatus.FAILED || behind(rec, wf)) {
            rec.parked.add(new InstanceRecord.Parked(result.callId(), result.result(), result.error(),
                    result.attempts()));
            return ev;
        }
        forgetRemovedRules(ev);
        applyParked(ev); // kept while the workflow was not deployed on the node that took them
        settle(ev, result);
        rules.chain(ev);
        advance(ev);
        return ev;
    }

    /** A new version of the workflow: evaluate the rules that are new or changed, and those never evaluated. */
    Evaluation onReevaluate(InstanceRecord rec, DeployedWorkflow wf) {
        var ev = new Evaluation(rec, wf);
        if (rec.status == InstanceStatus.FAILED || behind(rec, wf)) {
            return ev;
        }
        rec.episode.clear();
        forgetRemovedRules(ev);
        applyParked(ev);
        rules.markDependents(ev, Set.of());
        if (!ev.dirty.isEmpty()) {
            rules.chain(ev);
        }
        advance(ev);
        return ev;
    }

    /** Resumes a FAILED instance: results parked while it was failed are applied, then every rule is evaluated. */
    Evaluation onRetry(InstanceRecord rec, DeployedWorkflow wf) {
        var ev = new Evaluation(rec, wf);
        if (rec.status != InstanceStatus.FAILED) {
            return ev;
        }
        if (behind(rec, wf)) {
            throw new IllegalArgumentException("instance: last evaluated by version " + rec.version + " of workflow "
                    + wf.name() + ", this node runs version " + wf.version() + "; retry once it is deployed here");
        }
        ev.changed = true;
        rec.status = rec.pending.isEmpty() ? InstanceStatus.IDLE : InstanceStatus.ACTIVE;
        rec.failure = null;
        rec.episode.clear();
        rec.version = wf.version();
        forgetRemovedRules(ev);
        applyParked(ev);
        wf.agenda().forEach(r -> ev.dirty.add(r.name()));
        rules.chain(ev);
        return ev;
    }

    /** A newer version of the workflow than this node's evaluated the instance last. */
    private static boolean behind(InstanceRecord rec, DeployedWorkflow wf) {
        return rec.version > wf.version();
    }

    /** A saved evaluation records the newest version that evaluated the instance. */
    private static void advance(Evaluation ev) {
        if (ev.changed && ev.record.version < ev.workflow.version()) {
            ev.record.version = ev.workflow.version();
        }
    }

    private static void forgetReadsOf(InstanceRecord rec, Set<String> changed) {
        rec.reads.values().removeIf(reads -> FactKeys.intersects(reads, changed));
    }

    /**
     * Drops what is known of rules this version no longer has: a rule removed and later added back unchanged must
     * be evaluated again, since the facts it read may have changed while nothing tracked them for it.
     */
    private static void forgetRemovedRules(Evaluation ev) {
        InstanceRecord rec = ev.record;
        if (rec.version == ev.workflow.version()) {
            return;
        }
        boolean removed = false;
        for (Iterator<String> it = rec.reads.keySet().iterator(); it.hasNext(); ) {
            String rule = it.next();
            if (ev.workflow.definition().rule(rule).isEmpty()) {
                it.remove();
                rec.fingerprints.remove(rule);
                removed = true;
            }
        }
        if (removed) {
            ev.changed = true;
        }
    }

    /** Results kept while the instance was FAILED or its workflow not deployed: applied now, in arrival order. */
    private void applyParked(Evaluation ev) {
        InstanceRecord rec = ev.record;
        if (rec.parked.isEmpty()) {
            return;
        }
        ev.changed = true;
        List<InstanceRecord.Parked> parked = List.copyOf(rec.parked);
        rec.parked.clear();
        for (InstanceRecord.Parked p : parked) {
            if (rec.status != InstanceStatus.FAILED && rec.pending.containsKey(p.callId())) {
                settle(ev, new CallResult(rec.id(), p.callId(), p.result(), p.error(), p.attempts()));
            }
        }
    }

    private void settle(Evaluation ev, CallResult result) {
        InstanceRecord rec = ev.record;
        InstanceRecord.Pending p = rec.pending.remove(result.callId());
        RuleDefinition rule = ev.workflow.definition().rule(p.rule()).orElse(null);
        if (rule == null) {
            LOG.info("{}: result of call {} for rule '{}', which version {} no longer has; dropped", rec.id(),
                    result.callId(), p.rule(), ev.workflow.version());
            return;
        }
        CallRequest call = request(p);
        if (result.failed()) {
            String what = switch (p.kind()) {
                case TIMER -> "timer";
                case WORKFLOW -> "workflow " + p.target() + " (" + p.key() + ")";
                case FUNCTION -> "function " + p.target();
            };
            rules.runError(ev, rule, new CallFailedException(p.target(), what + " failed: " + result.error(),
                    result.attempts()), call);
        } else if (rule.reaction() != null) {
            Map<String, Object> r = result.result() == null ? Map.of() : result.result();
            var scope = new SectionScope(rec);
            rules.runSection(ev, rule, FiringKind.REACTION, scope, p.key(),
                    () -> rule.reaction().apply(scope, r, call));
        }
        if (!rec.hasPending(rule.name())) {
            ev.dirty.add(rule.name()); // refraction over: the rule may fire again
        }
    }

    static CallRequest request(InstanceRecord.Pending p) {
        return new CallRequest(p.kind(), p.target(), p.args(), p.key(), p.priority(),
                p.timeoutMs() > 0 ? Duration.ofMillis(p.timeoutMs()) : null, p.retries(), p.exclusive(),
                p.kind() == CallKind.TIMER ? Duration.ofMillis(p.delayMs()) : null);
    }
}
