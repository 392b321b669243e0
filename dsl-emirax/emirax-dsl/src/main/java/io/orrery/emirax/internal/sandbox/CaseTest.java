package io.orrery.emirax.internal.sandbox;

import groovy.lang.Closure;

/**
 * A {@code case} label of a rule's {@code switch}, and a pattern given to {@code grep}: Groovy tests a switch value
 * by calling the label's own {@code isCase}, which for a pattern runs the regular expression outside the checker
 * and past the rule's time limit. The rewriter wraps every label in one of these, so the test goes through
 * {@link Operators#isCase} instead, where a pattern runs over guarded text.
 */
public final class CaseTest extends Closure<Object> {

    private static final long serialVersionUID = 1L;

    private final Object label;

    public CaseTest(Object label) {
        super(null);
        this.label = label;
        this.maximumNumberOfParameters = 1;
    }

    public Object doCall(Object value) {
        return Operators.isCase(label, value);
    }

    @Override
    public Object call(Object... args) {
        return doCall(args.length == 0 ? null : args[0]);
    }

    @Override
    public Object call(Object arg) {
        return doCall(arg);
    }
}
