package io.orrery.engine.internal;

import io.orrery.api.engine.CallFailedException;
import io.orrery.api.engine.CallKind;
import io.orrery.api.engine.CallRequest;
import io.orrery.api.engine.FiringKind;
import io.orrery.api.engine.InstanceStatus;
import io.orrery.api.engine.RuleDefinition;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forward chaining over one instance record, in memory, with no I/O: applies one event (a request's input, a
 * settled call, a new workflow version, a retry) and then fires every rule whose match holds and that has no call
 * pending, by salience then declaration order, until nothing more fires. A rule is evaluated again only when a
 * fact it read changed, its calls all settled, or its source changed (dependency tracking).
 */
public final class InstanceEvaluator {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceEvaluator.class);

    private final EngineSettings settings;
    private final TenantCodeGuard guard;
    private final EngineMetrics metrics;
    private final Clock clock;

    public InstanceEvaluator(EngineSettings settings, TenantCodeGuard guard, EngineMetrics metrics, Clock clock) {
        this.settings = settings;
        this.guard = guard;
        this.metrics = metrics;
        this.clock = clock;
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
        if (waiter != null) {
            rec.waiters.add(waiter);
        }
        rec.episode.clear();
        ev.changed = created || !changed.isEmpty() || waiter != null;
        if (rec.status == InstanceStatus.FAILED) {
            return ev; // the facts are kept; nothing runs until retried
        }
        if (created) {
            rec.version = wf.version();
            wf.agenda().forEach(r -> ev.dirty.add(r.name()));
        } else {
            applyParked(ev);
            markDependents(ev, changed);
        }
        chain(ev);
        if (waiter != null && rec.status == InstanceStatus.IDLE && rec.output != null && !ev.completedNow) {
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
        if (rec.status == InstanceStatus.FAILED) {
            rec.parked.add(new InstanceRecord.Parked(result.callId(), result.result(), result.error(),
                    result.attempts()));
            return ev;
        }
        applyParked(ev); // kept while the workflow was not deployed on the node that took them
        settle(ev, result);
        chain(ev);
        return ev;
    }

    /** A new version of the workflow: evaluate the rules that are new or changed, and those never evaluated. */
    Evaluation onReevaluate(InstanceRecord rec, DeployedWorkflow wf) {
        var ev = new Evaluation(rec, wf);
        if (rec.status == InstanceStatus.FAILED) {
            return ev;
        }
        rec.episode.clear();
        applyParked(ev);
        markDependents(ev, Set.of());
        if (!ev.dirty.isEmpty()) {
            chain(ev);
        }
        if (rec.version != wf.version() && ev.changed) {
            rec.version = wf.version();
        }
        return ev;
    }

    /** Resumes a FAILED instance: results parked while it was failed are applied, then every rule is evaluated. */
    Evaluation onRetry(InstanceRecord rec, DeployedWorkflow wf) {
        var ev = new Evaluation(rec, wf);
        if (rec.status != InstanceStatus.FAILED) {
            return ev;
        }
        ev.changed = true;
        rec.status = rec.pending.isEmpty() ? InstanceStatus.IDLE : InstanceStatus.ACTIVE;
        rec.failure = null;
        rec.episode.clear();
        rec.version = wf.version();
        applyParked(ev);
        wf.agenda().forEach(r -> ev.dirty.add(r.name()));
        chain(ev);
        return ev;
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
            runError(ev, rule, new CallFailedException(p.target(), what + " failed: " + result.error(),
                    result.attempts()), call);
        } else if (rule.reaction() != null) {
            Map<String, Object> r = result.result() == null ? Map.of() : result.result();
            var scope = new SectionScope(rec);
            runSection(ev, rule, FiringKind.REACTION, scope, p.key(),
                    () -> rule.reaction().apply(scope, r, call));
        }
        if (!rec.hasPending(rule.name())) {
            ev.dirty.add(rule.name()); // refraction over: the rule may fire again
        }
    }

    private void chain(Evaluation ev) {
        InstanceRecord rec = ev.record;
        while (rec.status != InstanceStatus.FAILED && !ev.dirty.isEmpty()) {
            for (RuleDefinition rule : ev.workflow.agenda()) {
                if (rec.status == InstanceStatus.FAILED) {
                    break;
                }
                if (!ev.dirty.remove(rule.name()) || rec.hasPending(rule.name())) {
                    continue;
                }
                if (matches(ev, rule)) {
                    fire(ev, rule);
                }
            }
        }
        if (rec.status != InstanceStatus.FAILED) {
            rec.status = rec.pending.isEmpty() ? InstanceStatus.IDLE : InstanceStatus.ACTIVE;
        }
        if (ev.completedNow || rec.status == InstanceStatus.FAILED) {
            notifyWaiters(ev);
        }
    }

    private boolean matches(Evaluation ev, RuleDefinition rule) {
        InstanceRecord rec = ev.record;
        var input = new TrackingMap("i", rec.input, false);
        var state = new TrackingMap("s", rec.state, false);
        var output = new TrackingMap("o", rec.output == null ? Map.of() : rec.output, false);
        var facts = new Facts(rec.workflow, rec.key, input, state, output);
        ev.matchesEvaluated++;
        long start = System.nanoTime();
        try {
            boolean m = guard.run("rule '" + rule.name() + "' match", settings.sectionTimeLimit(),
                    () -> rule.match().test(facts));
            Set<String> reads = new HashSet<>();
            input.addReads(reads);
            state.addReads(reads);
            output.addReads(reads);
            List<String> before = rec.reads.put(rule.name(), List.copyOf(reads));
            String fp = rule.fingerprint() == null ? "" : rule.fingerprint();
            if (!fp.equals(rec.fingerprints.put(rule.name(), fp)) || before == null) {
                ev.changed |= m;
            }
            return m;
        } catch (TimeLimitExceeded e) {
            metrics.overrun();
            fail(ev, e.getMessage());
        } catch (Exception | StackOverflowError e) {
            fail(ev, "rule '" + rule.name() + "' match failed: " + describe(e));
        } finally {
            metrics.section("match", System.nanoTime() - start);
        }
        return false;
    }

    private void fire(Evaluation ev, RuleDefinition rule) {
        InstanceRecord rec = ev.record;
        int n = rec.episode.merge(rule.name(), 1, Integer::sum);
        if (n > settings.loopLimit()) {
            metrics.loopGuard();
            fail(ev, "loop guard: rule '" + rule.name() + "' fired more than " + settings.loopLimit()
                    + " times without a new request; its action must change what its match reads");
            return;
        }
        ev.fired.merge(rule.name(), 1, Integer::sum);
        var scope = new SectionScope(rec);
        runSection(ev, rule, FiringKind.ACTION, scope, null, () -> rule.action().run(scope));
    }

    private void runError(Evaluation ev, RuleDefinition rule, Throwable error, CallRequest call) {
        if (rule.onError() == null) {
            fail(ev, "rule '" + rule.name() + "': " + describe(error));
            return;
        }
        var scope = new SectionScope(ev.record);
        runSection(ev, rule, FiringKind.ERROR, scope, call == null ? null : call.key(),
                () -> rule.onError().handle(scope, error, call));
    }

    private void runSection(Evaluation ev, RuleDefinition rule, FiringKind kind, SectionScope scope, String callKey,
                            ThrowingRunnable section) {
        String what = "rule '" + rule.name() + "' " + kind.name().toLowerCase();
        ev.changed = true;
        long start = System.nanoTime();
        try {
            guard.run(what, settings.sectionTimeLimit(), () -> {
                section.run();
                return null;
            });
        } catch (TimeLimitExceeded e) {
            metrics.overrun();
            fail(ev, e.getMessage());
            return;
        } catch (Exception | StackOverflowError e) {
            if (kind == FiringKind.ACTION) {
                log(ev, rule, kind, 0, callKey);
                runError(ev, rule, e, null);
            } else {
                fail(ev, what + " failed: " + describe(e));
            }
            return;
        } finally {
            metrics.section(kind.name().toLowerCase(), System.nanoTime() - start);
        }
        apply(ev, rule, kind, scope, callKey);
    }

    private void apply(Evaluation ev, RuleDefinition rule, FiringKind kind, SectionScope scope, String callKey) {
        InstanceRecord rec = ev.record;
        Set<String> changed;
        try {
            changed = scope.finishState();
        } catch (IllegalArgumentException e) {
            fail(ev, "rule '" + rule.name() + "' " + kind.name().toLowerCase() + ": " + e.getMessage());
            return;
        }
        List<CallRequest> calls = scope.calls();
        log(ev, rule, kind, calls.size(), callKey);
        for (CallRequest c : calls) {
            addCall(ev, rule, c);
        }
        if (scope.completedOutput() != null) {
            rec.output = scope.completedOutput();
            ev.completedNow = true;
        }
        if (scope.failure() != null) {
            fail(ev, scope.failure());
            return;
        }
        markDependents(ev, changed);
    }

    private void addCall(Evaluation ev, RuleDefinition rule, CallRequest c) {
        InstanceRecord rec = ev.record;
        String callId = "c" + (++rec.callSeq);
        int priority = c.priority() == CallRequest.INHERIT ? rec.priority : c.priority();
        long timeout = (c.timeout() == null ? settings.callTimeout() : c.timeout()).toMillis();
        int retries = c.retries() < 0 ? settings.callRetries() : c.retries();
        long delay = c.delay() == null ? 0 : c.delay().toMillis();
        String key = c.kind() == CallKind.WORKFLOW && c.key() == null ? rec.key : c.key();
        Map<String, Object> args = JsonData.copyMap(c.args(), "call " + c.target());
        rec.pending.put(callId, new InstanceRecord.Pending(rule.name(), c.kind(), c.target(), args, key, priority,
                timeout, retries, c.exclusive(), delay, clock.millis()));
        ev.calls.add(new OutboundCall(rec.id(), callId, rule.name(), c.kind(), c.target(), args, key, priority,
                timeout, retries + 1, c.exclusive(), delay, rec.traceId));
    }

    private void log(Evaluation ev, RuleDefinition rule, FiringKind kind, int calls, String callKey) {
        InstanceRecord rec = ev.record;
        rec.firings.add(new InstanceRecord.FiringEntry(rule.name(), kind, ev.workflow.version(), clock.millis(),
                calls, callKey));
        int excess = rec.firings.size() - settings.firingLogSize();
        if (excess > 0) {
            rec.firings.subList(0, excess).clear();
        }
        metrics.fired(rec.tenant, rec.workflow, rule.name(), kind);
        LOG.debug("{}: {} {} ({} calls)", rec.id(), kind, rule.name(), calls);
    }

    /** Marks dirty the rules that read a changed fact, are new or changed in this version, or were never evaluated. */
    private void markDependents(Evaluation ev, Set<String> changed) {
        InstanceRecord rec = ev.record;
        for (RuleDefinition r : ev.workflow.agenda()) {
            List<String> reads = rec.reads.get(r.name());
            String fp = r.fingerprint() == null ? "" : r.fingerprint();
            if (!settings.dependencyTracking()
                    || reads == null || fp.isEmpty() || !fp.equals(rec.fingerprints.get(r.name()))
                    || FactKeys.intersects(reads, changed)) {
                ev.dirty.add(r.name());
            }
        }
    }

    private void fail(Evaluation ev, String message) {
        InstanceRecord rec = ev.record;
        rec.status = InstanceStatus.FAILED;
        rec.failure = message;
        ev.changed = true;
        LOG.info("{}: failed: {}", rec.id(), message);
    }

    private void notifyWaiters(Evaluation ev) {
        InstanceRecord rec = ev.record;
        boolean failed = rec.status == InstanceStatus.FAILED;
        for (InstanceRecord.Waiter w : rec.waiters) {
            ev.notifications.add(new Evaluation.Notification(w, failed ? null : rec.output,
                    failed ? rec.failure : null));
        }
        rec.waiters.clear();
    }

    static CallRequest request(InstanceRecord.Pending p) {
        return new CallRequest(p.kind(), p.target(), p.args(), p.key(), p.priority(),
                p.timeoutMs() > 0 ? Duration.ofMillis(p.timeoutMs()) : null, p.retries(), p.exclusive(),
                p.kind() == CallKind.TIMER ? Duration.ofMillis(p.delayMs()) : null);
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private record Facts(String workflow, String key, Map<String, Object> input, Map<String, Object> state,
                         Map<String, Object> output) implements io.orrery.api.engine.FactView {
    }
}
