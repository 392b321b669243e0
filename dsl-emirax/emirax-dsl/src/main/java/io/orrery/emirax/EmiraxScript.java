package io.orrery.emirax;

import groovy.lang.Closure;
import groovy.lang.DelegatesTo;
import groovy.lang.Script;
import io.orrery.api.engine.WorkflowDefinition;
import io.orrery.api.engine.WorkflowModule;
import io.orrery.api.function.OrreryFunction;
import io.orrery.emirax.dsl.EmiraxFunction;
import io.orrery.emirax.dsl.WorkflowContext;
import io.orrery.emirax.internal.sandbox.FunctionSplit;
import io.orrery.emirax.internal.sandbox.RuleBudget;
import io.orrery.emirax.internal.shared.SharedValues;
import java.util.ArrayList;
import java.util.List;

/**
 * The base class of every compiled Emirax source. Running the script builds the model: each top-level
 * {@code workflow} and {@code function} block adds to it. Once built the script is sealed, so tenant code that
 * runs later (a match, an action) cannot redefine workflows or share data through script variables.
 */
public abstract class EmiraxScript extends Script {

    /** How long a script's top level may run to declare its model: {@code io.orrery.emirax.model.maxMillis}. */
    public static final long MODEL_TIME_LIMIT_MILLIS = Long.getLong("io.orrery.emirax.model.maxMillis", 5_000);

    private final List<WorkflowDefinition> workflows = new ArrayList<>();
    private final List<OrreryFunction> functions = new ArrayList<>();
    private final List<Closure<?>> sections = new ArrayList<>();
    private boolean sealed;
    /** Why the model cannot be used, once a shared value could not be sealed. */
    private IllegalArgumentException unsealable;

    /** Declares a workflow: {@code workflow('encode-video') { version 3; input {...}; rule('split') {...} }}. */
    public final void workflow(String name,
                         @DelegatesTo(value = WorkflowContext.class, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        requireBuilding("workflow");
        var context = new WorkflowContext(name, this, sections::add);
        Closure<?> c = body.rehydrate(context, this, this);
        c.setResolveStrategy(Closure.DELEGATE_FIRST);
        c.call();
        workflows.add(context.build());
    }

    /** Declares a function in Emirax: {@code function('media.size') { args -> [bytes: ...] }}. */
    public final void function(String name, Closure<?> body) {
        requireBuilding("function");
        functions.add(new EmiraxFunction(name, body));
    }

    /**
     * Declares a function whose body the compiler moved into this script's function class
     * ({@code <script>$functions}, method {@code f<index>}): the class is loaded when the function first runs, in a
     * function host, never when the server builds the model.
     */
    public final void function(String name, int index) {
        requireBuilding("function");
        Class<?> script = getClass();
        functions.add(new EmiraxFunction(name, () -> hostedBody(script, index)));
    }

    private static Closure<?> hostedBody(Class<?> script, int index) {
        String name = script.getName() + FunctionSplit.SUFFIX;
        try {
            Class<?> holder = Class.forName(name, true, script.getClassLoader());
            return (Closure<?>) holder.getMethod("f" + index).invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the body of function " + index + " of " + script.getName()
                    + " is missing from " + name + ": " + e, e);
        }
    }

    /**
     * Runs the script once and answers what it declared: within {@link #MODEL_TIME_LIMIT_MILLIS} and the memory a
     * rule section may use, as it runs on whichever thread loads it (a deploy's, an upload's dry-run). Then seals
     * what the rule sections share ({@link SharedValues}): every instance runs the same closures.
     */
    public final synchronized WorkflowModule model() {
        if (!sealed) {
            RuleBudget.beginTimed(MODEL_TIME_LIMIT_MILLIS);
            try {
                run();
                sealed = true;
                unsealable = sealShared();
            } finally {
                RuleBudget.end();
            }
        }
        if (unsealable != null) {
            throw new IllegalArgumentException(unsealable.getMessage(), unsealable);
        }
        return new WorkflowModule(workflows, functions);
    }

    private IllegalArgumentException sealShared() {
        try {
            SharedValues.seal(sections, getBinding());
            return null;
        } catch (IllegalArgumentException unshareable) {
            return unshareable;
        }
    }

    // Script variables would otherwise live in a binding shared by every instance of every workflow here.
    @Override
    public final void setProperty(String property, Object newValue) {
        if (sealed) {
            throw new IllegalStateException("'" + property + "' is not a variable of this rule; keep data in state");
        }
        super.setProperty(property, newValue);
    }

    private void requireBuilding(String keyword) {
        if (sealed) {
            throw new IllegalStateException(keyword + " blocks are declared at the top level of an Emirax source, "
                    + "not inside rules");
        }
    }
}
