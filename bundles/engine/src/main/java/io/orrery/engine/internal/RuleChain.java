package io.orrery.engine.internal;

import io.orrery.api.engine.CallKind;
import io.orrery.api.engine.CallRequest;
import io.orrery.api.engine.FiringKind;
import io.orrery.api.engine.InstanceStatus;
import io.orrery.api.engine.OutboundCall;
import io.orrery.api.engine.RuleDefinition;
import io.orrery.api.trace.TraceSpan;
import java.time.Clock;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forward chaining over one instance record: fires every rule whose match holds and that has no call pending, by
 * salience then declaration order, until nothing more fires. Runs tenant sections (match, action, reaction, error)
 * under the time limit, applies what they did (state, calls, complete, fail), logs firings, and keeps each rule's
 * reads so that a rule is evaluated again only when a fact it read changed (dependency tracking).
 */
final class RuleChain {

    private static final Logger LOG = LoggerFactory.getLogger(RuleChain.class);
    /** Section names in messages and metrics, made once rather than on every firing. */
    private static final Map<FiringKind, String> PART = Arrays.stream(FiringKind.values()).collect(Collectors.toMap(
            k -> k, k -> k.name().toLowerCase(Locale.ROOT), (a, b) -> a, () -> new EnumMap<>(FiringKind.class)));

    private final EngineSettings settings;
    private final TenantCodeGuard guard;
    private final EngineMetrics metrics;
    private final Clock clock;

    RuleChain(EngineSettings settings, TenantCodeGuard guard, EngineMetrics metrics, Clock clock) {
        this.settings = settings;
        this.guard = guard;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Fires rules until none is left to evaluate. Always the first rule of the agenda among those to evaluate, so a
     * rule of higher salience woken by a firing is evaluated before any rule of lower salience, in every pass.
     */
    void chain(Evaluation ev) {
        InstanceRecord rec = ev.record;
        while (rec.status != InstanceStatus.FAILED) {
            RuleDefinition rule = next(ev);
            if (rule == null) {
                break;
            }
            ev.dirty.remove(rule.name());
            if (!rec.hasPending(rule.name()) && matches(ev, rule)) {
                fire(ev, rule);
            }
        }
        if (rec.status != InstanceStatus.FAILED) {
            rec.status = rec.pending.isEmpty() ? InstanceStatus.IDLE : InstanceStatus.ACTIVE;
        }
        if (ev.completedNow || rec.status == InstanceStatus.FAILED) {
            notifyWaiters(ev);
        }
    }

    private static RuleDefinition next(Evaluation ev) {
        if (ev.dirty.isEmpty()) {
            return null;
        }
        for (RuleDefinition rule : ev.workflow.agenda()) {
            if (ev.dirty.contains(rule.name())) {
                return rule;
            }
        }
        ev.dirty.clear(); // names of rules this version no longer has
        return null;
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
            boolean m = guarded(rule, "match", () -> rule.match().test(facts));
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
        } catch (RuleFailure e) {
            fail(ev, "rule '" + rule.name() + "' match failed: " + e.description);
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

    void runError(Evaluation ev, RuleDefinition rule, Throwable error, CallRequest call) {
        runError(ev, rule, error, describe(error), call);
    }

    /** {@code description}: the error's message, made under the section's time limit if rule code threw it. */
    private void runError(Evaluation ev, RuleDefinition rule, Throwable error, String description, CallRequest call) {
        if (rule.onError() == null) {
            fail(ev, "rule '" + rule.name() + "': " + description);
            return;
        }
        var scope = new SectionScope(ev.record);
        runSection(ev, rule, FiringKind.ERROR, scope, call == null ? null : call.key(),
                () -> rule.onError().handle(scope, error, call));
    }

    void runSection(Evaluation ev, RuleDefinition rule, FiringKind kind, SectionScope scope, String callKey,
                            ThrowingRunnable section) {
        String part = PART.get(kind);
        ev.changed = true;
        long start = System.nanoTime();
        TraceSpan span = FiringSpans.start(metrics.tracer(), ev.record, rule.name(), part, callKey);
        ev.firing = span.context();
        try {
            guarded(rule, part, () -> {
                section.run();
                return null;
            });
        } catch (TimeLimitExceeded e) {
            metrics.overrun();
            scope.keepStorableState();
            fail(ev, e.getMessage());
            return;
        } catch (RuleFailure e) {
            scope.keepStorableState();
            if (kind == FiringKind.ACTION) {
                log(ev, rule, kind, 0, callKey);
                runError(ev, rule, e.getCause(), e.description, null);
            } else {
                fail(ev, "rule '" + rule.name() + "' " + part + " failed: " + e.description);
            }
            return;
        } finally {
            metrics.section(part, System.nanoTime() - start);
            span.close();
        }
        apply(ev, rule, kind, scope, callKey);
    }

    /** Runs a section under the time limit; throws {@link TimeLimitExceeded}, the rule's failure, or an Error. */
    private <T> T guarded(RuleDefinition rule, String part, Callable<T> section) throws RuleFailure {
        try {
            return guard.run(rule.name(), part, settings.sectionTimeLimit(), () -> RuleFailure.described(section));
        } catch (RuleFailure | RuntimeException e) {
            throw e;
        } catch (Exception e) { // an interrupt meant for an enclosing section (sections nest), as this one's failure
            throw new RuleFailure(e, describe(e));
        }
    }

    private void apply(Evaluation ev, RuleDefinition rule, FiringKind kind, SectionScope scope, String callKey) {
        InstanceRecord rec = ev.record;
        Set<String> changed;
        try {
            changed = scope.finishState();
        } catch (IllegalArgumentException e) {
            fail(ev, "rule '" + rule.name() + "' " + PART.get(kind) + " failed: " + e.getMessage());
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
        String callId = rec.nextCallId();
        int priority = c.priority() == CallRequest.INHERIT ? rec.priority : c.priority();
        long timeout = (c.timeout() == null ? settings.callTimeout() : c.timeout()).toMillis();
        int retries = c.retries() < 0 ? settings.callRetries() : c.retries();
        long delay = c.delay() == null ? 0 : c.delay().toMillis();
        String key = c.kind() == CallKind.WORKFLOW && c.key() == null ? rec.key : c.key();
        Map<String, Object> args = c.args(); // JSON data since the section made the call (SectionScope.call)
        rec.pending.put(callId, new InstanceRecord.Pending(rule.name(), c.kind(), c.target(), args, key, priority,
                timeout, retries, c.exclusive(), delay, clock.millis()));
        ev.calls.add(new OutboundCall(rec.id(), callId, rule.name(), c.kind(), c.target(), args, key, priority,
                timeout, retries + 1, c.exclusive(), delay, rec.traceId,
                ev.firing == null ? null : ev.firing.spanId()));
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
    void markDependents(Evaluation ev, Set<String> changed) {
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

    void fail(Evaluation ev, String message) {
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

    static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /**
     * What the rule's own code threw (an exception, a recursion too deep, a failed assert: Emirax allows assert),
     * with its description made inside the section, under its time limit: a message may run rule code when read
     * (Groovy's "No signature of method" renders the call's arguments, a lazy GString among them). Other Errors are
     * the node's (out of memory, a class it cannot load, a crash) and go to the caller, which offers the event
     * again: recorded as the rule's, they would fail the instance for good.
     */
    static final class RuleFailure extends Exception {

        private static final long serialVersionUID = 1L;

        final String description;

        private RuleFailure(Throwable failure, String description) {
            super(description, failure, false, false);
            this.description = description;
        }

        static <T> T described(Callable<T> section) throws Exception {
            try {
                return section.call();
            } catch (InterruptedException | RuleFailure e) {
                throw e; // the time limit stopped it (the guard says so), or a nested section described it
            } catch (Exception | StackOverflowError | AssertionError e) {
                throw new RuleFailure(e, descriptionOf(e));
            }
        }

        private static String descriptionOf(Throwable e) {
            try {
                return describe(e);
            } catch (RuntimeException | StackOverflowError | AssertionError unreadable) {
                return e.getClass().getSimpleName(); // its message ran rule code, which failed
            }
        }
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private record Facts(String workflow, String key, Map<String, Object> input, Map<String, Object> state,
                         Map<String, Object> output) implements io.orrery.api.engine.FactView {
    }
}
