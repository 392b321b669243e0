package io.orrery.emirax.testkit;

import io.orrery.api.engine.Firing;
import io.orrery.api.engine.FiringKind;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceStatus;
import io.orrery.api.engine.InstanceView;
import io.orrery.api.engine.PendingCall;
import java.util.List;
import java.util.Map;

/**
 * One instance as a test sees it. Every accessor reads the instance's current stored state, so a run can be kept
 * and asserted again after more input or after time moved on.
 */
public final class WorkflowRun {

    private final EmiraxTestKit kit;
    private final InstanceId id;

    WorkflowRun(EmiraxTestKit kit, InstanceId id) {
        this.kit = kit;
        this.id = id;
    }

    public InstanceId id() {
        return id;
    }

    /** The full snapshot; the other accessors are shortcuts into it. */
    public InstanceView view() {
        return kit.engine().find(id).orElseThrow(() -> new AssertionError("no instance " + id));
    }

    public InstanceStatus status() {
        return view().status();
    }

    public Map<String, Object> input() {
        return view().input();
    }

    public Map<String, Object> state() {
        return view().state();
    }

    /** What complete() published last; null before. */
    public Map<String, Object> output() {
        return view().output();
    }

    public boolean completed() {
        return view().completed();
    }

    /** Why the instance failed, or null. */
    public String failure() {
        return view().failure();
    }

    public List<PendingCall> pending() {
        return view().pending();
    }

    /** The firing log, oldest first: actions, reactions and error handlers. */
    public List<Firing> firings() {
        return view().recentFirings();
    }

    /** Names of the rules whose action fired, in order (a rule that fired twice appears twice). */
    public List<String> firedRules() {
        return firings().stream().filter(f -> f.kind() == FiringKind.ACTION).map(Firing::rule).toList();
    }

    /** How many times each section of a rule ran. */
    public long count(String rule, FiringKind kind) {
        return firings().stream().filter(f -> f.rule().equals(rule) && f.kind() == kind).count();
    }

    /** Sends more input to this instance (always-on) and runs to quiescence. */
    public WorkflowRun send(Map<String, Object> input) {
        return kit.send(id.workflow(), id.key(), input);
    }

    /** Resumes this FAILED instance and runs to quiescence. */
    public WorkflowRun retry() {
        kit.engine().retry(id);
        kit.runToQuiescence();
        return this;
    }

    @Override
    public String toString() {
        InstanceView v = view();
        return id + " " + v.status() + (v.failure() == null ? "" : " (" + v.failure() + ")") + " state=" + v.state()
                + " output=" + v.output();
    }
}
