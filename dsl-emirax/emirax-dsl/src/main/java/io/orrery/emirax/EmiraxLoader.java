package io.orrery.emirax;

import io.orrery.api.engine.WorkflowDefinition;
import io.orrery.api.engine.WorkflowModule;
import io.orrery.api.function.OrreryFunction;
import io.orrery.emirax.internal.sandbox.RuleBudget;
import io.orrery.emirax.sandbox.RuleClassVerifier;
import io.orrery.emirax.sandbox.SandboxException;
import io.orrery.emirax.sandbox.Violation;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Turns compiled Emirax script classes into the engine's model: verifies each script and the classes it reaches
 * ({@link RuleClassVerifier}) before any of them is initialised, then instantiates each and runs it once. Used by the
 * tenant bundle extender (with the bundle's class loader) and by the test kit.
 */
public final class EmiraxLoader {

    private EmiraxLoader() {
    }

    public static WorkflowModule load(ClassLoader loader, List<String> scriptClasses) {
        var workflows = new ArrayList<WorkflowDefinition>();
        var functions = new ArrayList<OrreryFunction>();
        for (String name : scriptClasses) {
            WorkflowModule part = instantiate(loader, name).model();
            workflows.addAll(part.workflows());
            functions.addAll(part.functions());
        }
        requireUnique(workflows.stream().map(WorkflowDefinition::name).toList(), "workflow");
        requireUnique(functions.stream().map(OrreryFunction::name).toList(), "function");
        return new WorkflowModule(workflows, functions);
    }

    private static EmiraxScript instantiate(ClassLoader loader, String name) {
        List<Violation> violations = RuleClassVerifier.verifyScript(loader, name);
        if (!violations.isEmpty()) {
            throw new IllegalArgumentException(name + " is not a class the Emirax compiler emitted for rules; refused: "
                    + violations.stream().limit(5).map(Violation::toString).toList());
        }
        try {
            Class<?> type = Class.forName(name, true, loader);
            if (!EmiraxScript.class.isAssignableFrom(type)) {
                throw new IllegalArgumentException(name + " is not a compiled Emirax script");
            }
            RuleBudget.beginTimed(EmiraxScript.MODEL_TIME_LIMIT_MILLIS);   // its field initialisers are its code
            try {
                return (EmiraxScript) type.getDeclaredConstructor().newInstance();
            } finally {
                RuleBudget.end();
            }
        } catch (ReflectiveOperationException e) {
            if (e instanceof InvocationTargetException thrown && thrown.getCause() instanceof SandboxException stopped) {
                throw stopped;  // stopped at its limits: said as for any section
            }
            throw new IllegalArgumentException("cannot load Emirax script " + name + ": " + e, e);
        }
    }

    private static void requireUnique(List<String> names, String what) {
        var seen = new HashSet<String>();
        for (String n : names) {
            if (!seen.add(n)) {
                throw new IllegalArgumentException(what + " '" + n + "' is declared in more than one place");
            }
        }
    }
}
