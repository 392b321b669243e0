package io.orrery.emirax.dsl;

import groovy.lang.Closure;
import groovy.lang.DelegatesTo;
import io.orrery.api.engine.InputField;
import io.orrery.api.engine.RuleDefinition;
import io.orrery.api.engine.WorkflowDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The delegate of a {@code workflow('name') { ... }} block. */
public class WorkflowContext {

    private final String name;
    private final Object script;
    private final Consumer<Closure<?>> sections;
    private int version = 1;
    private final List<InputField> inputs = new ArrayList<>();
    private final List<RuleDefinition> rules = new ArrayList<>();

    /** A workflow of {@code script}; its rules' sections are handed to {@code sections} as they are declared. */
    public WorkflowContext(String name, Object script, Consumer<Closure<?>> sections) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("workflow: needs a name");
        }
        this.name = name;
        this.script = script;
        this.sections = sections;
    }

    /** The workflow's version, 1 or more; a deploy replaces a lower version. Default 1. */
    public void version(int v) {
        this.version = v;
    }

    /** The input fields: {@code input { required 'source', String; optional 'chunks', Integer, 31 }}. */
    public void input(@DelegatesTo(value = InputContext.class, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        var context = new InputContext(inputs);
        Closure<?> c = body.rehydrate(context, script, script);
        c.setResolveStrategy(Closure.DELEGATE_FIRST);
        c.call();
    }

    /** A rule: {@code rule('split') { match {...}; action {...}; reaction { r -> ... } }}. */
    public void rule(String ruleName,
                     @DelegatesTo(value = RuleContext.class, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        rule(Map.of(), ruleName, body);
    }

    /**
     * A rule with options; the compiler adds {@code fingerprint:} (a digest of the rule's source text), and
     * {@code salience:} may be given here instead of inside the rule.
     */
    public void rule(Map<String, Object> options, String ruleName,
                     @DelegatesTo(value = RuleContext.class, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        var context = new RuleContext(name, ruleName, script);
        if (options.get("salience") instanceof Number n) {
            context.salience(n.intValue());
        }
        Closure<?> c = body.rehydrate(context, script, script);
        c.setResolveStrategy(Closure.DELEGATE_FIRST);
        c.call();
        Object fingerprint = options.get("fingerprint");
        rules.add(context.build(fingerprint == null ? null : fingerprint.toString()));
        context.sections().forEach(sections);
    }

    public WorkflowDefinition build() {
        return new WorkflowDefinition(name, version, inputs, rules);
    }
}
