package io.orrery.emirax.dsl;

import groovy.lang.Closure;
import groovy.lang.DelegatesTo;
import io.orrery.api.engine.RuleAction;
import io.orrery.api.engine.RuleDefinition;
import io.orrery.api.engine.RuleErrorHandler;
import io.orrery.api.engine.RuleReaction;
import io.orrery.emirax.internal.sandbox.RuleBudget;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.codehaus.groovy.runtime.typehandling.DefaultTypeTransformation;

/**
 * The delegate of a {@code rule('name') { ... }} block: four sections, each a closure that the engine runs later
 * with a fresh delegate per run ({@link MatchScope} for match, {@link ActionScope} for the others).
 */
public class RuleContext {

    private final String workflow;
    private final String name;
    private final Object script;
    private int salience;
    private Closure<?> match;
    private Closure<?> action;
    private Closure<?> reaction;
    private Closure<?> error;

    RuleContext(String workflow, String name, Object script) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("workflow " + workflow + ": a rule needs a name");
        }
        this.workflow = workflow;
        this.name = name;
        this.script = script;
    }

    /** Higher fires first when several rules match at once; default 0, ties by declaration order. */
    public void salience(int s) {
        this.salience = s;
    }

    /** When the rule fires: a predicate over {@code input}, {@code state} and {@code output}, free of effects. */
    public void match(@DelegatesTo(value = MatchScope.class, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        this.match = body;
    }

    /** What to do when it fires: {@code call}, {@code workflow}, {@code after}, or nothing. */
    public void action(@DelegatesTo(value = ActionScope.class, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        this.action = body;
    }

    /** Runs once per settled call: {@code { r -> }} or {@code { r, call -> }}; applies the result to state. */
    public void reaction(@DelegatesTo(value = ActionScope.class, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        this.reaction = body;
    }

    /** Runs when a call fails for good or the action throws: {@code { e -> }} or {@code { e, call -> }}. */
    public void error(@DelegatesTo(value = ActionScope.class, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        this.error = body;
    }

    /** The sections declared: closures every instance of the workflow runs. */
    List<Closure<?>> sections() {
        return Stream.of(match, action, reaction, error).filter(Objects::nonNull).toList();
    }

    RuleDefinition build(String fingerprint) {
        if (match == null) {
            throw new IllegalArgumentException("workflow " + workflow + ", rule " + name + ": needs a match");
        }
        Closure<?> m = match;
        Closure<?> a = action;
        RuleAction runAction = a == null ? scope -> { } : scope -> run(bind(a, new ActionScope(scope)));
        return new RuleDefinition(name, salience, fingerprint,
                facts -> matches(bind(m, new MatchScope(facts))),
                runAction, reaction(), errorHandler());
    }

    private RuleReaction reaction() {
        Closure<?> r = reaction;
        if (r == null) {
            return null;
        }
        boolean wantsCall = r.getMaximumNumberOfParameters() >= 2;
        return (scope, result, call) -> {
            Closure<?> c = bind(r, new ActionScope(scope));
            if (wantsCall) {
                run(c, result, call);
            } else {
                run(c, result);
            }
        };
    }

    private RuleErrorHandler errorHandler() {
        Closure<?> e = error;
        if (e == null) {
            return null;
        }
        boolean wantsCall = e.getMaximumNumberOfParameters() >= 2;
        return (scope, failure, call) -> {
            Closure<?> c = bind(e, new ActionScope(scope));
            if (wantsCall) {
                run(c, failure, call);
            } else {
                run(c, failure);
            }
        };
    }

    // Each section runs on a memory budget of its own (see RuleBudget).
    private static Object run(Closure<?> section, Object... args) {
        return budgeted(() -> section.call(args));
    }

    // Groovy's truth may run rule code (a lazy GString's closure): it is part of the match, on the match's budget.
    private static boolean matches(Closure<?> match) {
        return budgeted(() -> DefaultTypeTransformation.castToBoolean(match.call()));
    }

    private static <T> T budgeted(Supplier<T> section) {
        RuleBudget.begin();
        try {
            return section.get();
        } finally {
            RuleBudget.end();
        }
    }

    // A copy per run: closures are not thread-safe once their delegate changes, and instances run in parallel.
    private Closure<?> bind(Closure<?> section, Object delegate) {
        Closure<?> c = section.rehydrate(delegate, script, script);
        c.setResolveStrategy(Closure.DELEGATE_FIRST);
        return c;
    }
}
