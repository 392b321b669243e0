package io.orrery.emirax.sandbox;

import io.orrery.emirax.internal.sandbox.CheckedPointer;
import io.orrery.emirax.internal.sandbox.Dispatch;
import io.orrery.emirax.internal.sandbox.Limits;
import io.orrery.emirax.internal.sandbox.Operators;
import io.orrery.emirax.internal.sandbox.RuleBudget;
import io.orrery.emirax.internal.sandbox.Stops;

/**
 * The checker compiled rule code calls for every dynamic operation. The Emirax compiler rewrites each method call,
 * property read or write, subscript, operator, cast, {@code new}, method pointer and loop of a rule into a call of
 * one of these methods, then compiles the rule statically, so the class file holds no dynamic call site at all and
 * {@link RuleClassVerifier} can check it against the same allow-list. Each method decides at run time, by the
 * receiver's class and the member's name, whether the operation is allowed, and refuses it with a
 * {@link SandboxException} otherwise. Every method is safe to call with any arguments: a hand-made class calling
 * them gains nothing the compiler would not have given it.
 */
public final class Checked {

    private Checked() {
    }

    // ---- calls and properties ----------------------------------------------------------------------------------

    /** {@code receiver.name(args)}. */
    public static Object call(Object receiver, String name, Object[] args) {
        return Dispatch.call(receiver, name, args);
    }

    /** {@code receiver?.name(args)}. */
    public static Object safeCall(Object receiver, String name, Object[] args) {
        return receiver == null ? null : Dispatch.call(receiver, name, args);
    }

    /** {@code receiver*.name(args)}. */
    public static Object spreadCall(Object receiver, String name, Object[] args) {
        if (receiver == null) {
            return null;
        }
        var results = new java.util.ArrayList<Object>();
        for (Object item : Operators.iterable(receiver)) {
            results.add(item == null ? null : Dispatch.call(item, name, args));
        }
        return results;
    }

    /** {@code Type.name(args)}. */
    public static Object callStatic(Class<?> type, String name, Object[] args) {
        return Dispatch.callStatic(type, name, args);
    }

    /** {@code name(args)} inside a closure: resolved through the closure's delegate and owner. */
    public static Object callImplicit(Object owner, Object delegate, int strategy, String name, Object[] args) {
        return Dispatch.callImplicit(owner, delegate, strategy, name, args);
    }

    public static Object getProperty(Object receiver, String name) {
        return Dispatch.getProperty(receiver, name);
    }

    public static Object safeGetProperty(Object receiver, String name) {
        return receiver == null ? null : Dispatch.getProperty(receiver, name);
    }

    public static Object spreadGetProperty(Object receiver, String name) {
        if (receiver == null) {
            return null;
        }
        var results = new java.util.ArrayList<Object>();
        for (Object item : Operators.iterable(receiver)) {
            results.add(item == null ? null : Dispatch.getProperty(item, name));
        }
        return results;
    }

    public static Object getImplicit(Object owner, Object delegate, int strategy, String name) {
        return Dispatch.getImplicit(owner, delegate, strategy, name);
    }

    /** {@code receiver.name = value}; answers the value. */
    public static Object setProperty(Object receiver, String name, Object value) {
        return Dispatch.setProperty(receiver, name, value);
    }

    public static Object setImplicit(Object owner, Object delegate, int strategy, String name, Object value) {
        return Dispatch.setImplicit(owner, delegate, strategy, name, value);
    }

    /** {@code receiver[index]}. */
    public static Object getAt(Object receiver, Object index) {
        if (receiver instanceof java.util.Map<?, ?> map) {
            return map.get(index);
        }
        return Dispatch.call(receiver, "getAt", new Object[] {index});
    }

    /** {@code receiver?[index]}. */
    public static Object safeGetAt(Object receiver, Object index) {
        return receiver == null ? null : getAt(receiver, index);
    }

    /** {@code receiver[index] = value}; answers the value. */
    @SuppressWarnings("unchecked")
    public static Object putAt(Object receiver, Object index, Object value) {
        if (receiver instanceof java.util.Map<?, ?> map) {
            ((java.util.Map<Object, Object>) map).put(index, value);
            return value;
        }
        Limits.requireIndex(receiver, index);
        Dispatch.call(receiver, "putAt", new Object[] {index, value});
        return value;
    }

    /** A method name computed at run time ({@code obj."$name"()}). */
    public static String name(Object name) {
        return String.valueOf(name);
    }

    /** {@code receiver.&name}: a closure whose calls are checked. */
    public static groovy.lang.Closure<Object> pointer(Object receiver, String name) {
        if (receiver == null) {
            throw new NullPointerException("Cannot take method '" + name + "' of null object");
        }
        return new CheckedPointer(receiver, name);
    }

    /** A {@code case} label of a {@code switch}: tested through the checker, not by the label's own {@code isCase}. */
    public static groovy.lang.Closure<Object> caseTest(Object label) {
        return new io.orrery.emirax.internal.sandbox.CaseTest(label);
    }

    // ---- operators, conversions, construction --------------------------------------------------------------------

    /** {@code a op b}, the operator by its Groovy method name ({@code plus}, {@code compareLessThan}, ...). */
    public static Object binary(String op, Object a, Object b) {
        return Operators.binary(op, a, b);
    }

    /** {@code -a}, {@code ~a}, {@code a.next()} for {@code ++}. */
    public static Object unary(String op, Object a) {
        return Operators.unary(op, a);
    }

    /** {@code (Type) value}. */
    public static <T> T cast(Object value, Class<T> type) {
        return Operators.cast(value, type, false);
    }

    /** {@code value as Type}. */
    public static <T> T asType(Object value, Class<T> type) {
        return Operators.cast(value, type, true);
    }

    /** {@code new Type(args)}. */
    public static <T> T construct(Class<T> type, Object[] args) {
        return Operators.construct(type, args);
    }

    public static Object range(Object from, Object to, boolean exclusiveLeft, boolean exclusiveRight) {
        return Operators.range(from, to, exclusiveLeft, exclusiveRight);
    }

    /** What {@code for (x in value)} loops over. */
    public static Iterable<Object> iterable(Object value) {
        return Operators.iterable(value);
    }

    /** Groovy truth of a condition ({@code if (x)}, {@code !x}, {@code a && b}). */
    public static boolean truth(Object value) {
        return Operators.truth(value);
    }

    /** {@code value ?: otherwise}: the right side is evaluated only when the left is false by Groovy truth. */
    public static Object elvis(Object value, groovy.lang.Closure<?> otherwise) {
        return Operators.truth(value) ? value : otherwise.call();
    }

    /** A {@code BigDecimal} literal ({@code 1.5}, {@code 2.0G}). */
    public static Object decimal(String literal) {
        return Operators.tame(new java.math.BigDecimal(literal));
    }

    /** A {@code BigInteger} literal ({@code 12G}, or an integer too big for a long). */
    public static Object integer(String literal) {
        return Operators.tame(new java.math.BigInteger(literal));
    }

    /** A {@code long} literal ({@code 3L}, or an integer too big for an int). */
    public static Object longInteger(String literal) {
        return Long.valueOf(literal);
    }

    /** A {@code float} literal ({@code 2.5f}). */
    public static Object singlePrecision(String literal) {
        return Float.valueOf(literal);
    }

    /** A map or list literal, typed Object. */
    public static Object value(Object literal) {
        return literal;
    }

    /** Answers {@code first}: lets {@code i++} evaluate to the old value after the new one is stored. */
    public static Object first(Object first, Object second) {
        return first;
    }

    // ---- time and memory -----------------------------------------------------------------------------------------

    /**
     * At the start of every loop body, closure and method: throws an {@link InterruptedException} once the engine
     * stopped the rule (its time limit passed), and a {@link SandboxException} once it allocated past its budget;
     * either way at every call from then on. {@link RuleClassVerifier} refuses code that could loop or recurse
     * without calling it.
     */
    public static void checkpoint() throws InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("Execution interrupted. The current thread has been interrupted.");
        }
        RuleBudget.tick();
    }

    /**
     * First in every catch block: a stop or a refusal is not rule code's to swallow. Once the rule is stopped it
     * throws whatever it is given, so a stop that something else was thrown in place of still ends the rule.
     */
    public static void rethrowIfStopped(Throwable caught) {
        Stops.rethrowIfStopped(caught);
    }
}
