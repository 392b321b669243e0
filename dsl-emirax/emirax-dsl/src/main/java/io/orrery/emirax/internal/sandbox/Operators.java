package io.orrery.emirax.internal.sandbox;

import groovy.lang.Closure;
import groovy.lang.IntRange;
import groovy.lang.ObjectRange;
import io.orrery.emirax.sandbox.SandboxException;
import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.codehaus.groovy.runtime.DefaultGroovyMethods;
import org.codehaus.groovy.runtime.InvokerHelper;
import org.codehaus.groovy.runtime.typehandling.DefaultTypeTransformation;
import org.codehaus.groovy.runtime.typehandling.NumberMath;

/**
 * Operators, casts, {@code new} and ranges of rule code. Arithmetic on two numbers goes straight to Groovy's
 * number math; anything else is a method call ({@code a + b} is {@code a.plus(b)}) checked like any other.
 */
public final class Operators {

    private Operators() {
    }

    public static Object binary(String op, Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            Limits.requireTame(x);
            Limits.requireTame(y);
            switch (op) {
                case "plus": return NumberMath.add(x, y);
                case "minus": return NumberMath.subtract(x, y);
                case "multiply": return NumberMath.multiply(x, y);
                case "div": return NumberMath.divide(x, y);
                default: break;
            }
        }
        return switch (op) {
            case "compareEqual" -> DefaultTypeTransformation.compareEqual(a, b);
            case "compareNotEqual" -> !DefaultTypeTransformation.compareEqual(a, b);
            case "compareLessThan" -> compare(a, b) < 0;
            case "compareLessThanEqual" -> compare(a, b) <= 0;
            case "compareGreaterThan" -> compare(a, b) > 0;
            case "compareGreaterThanEqual" -> compare(a, b) >= 0;
            case "compareTo" -> compare(a, b);
            case "isCase" -> isCase(b, a);
            case "isNotCase" -> !isCase(b, a);
            case "findRegex" -> Regex.matcher(a, b);
            case "matchRegex" -> Regex.matcher(a, b).matches();
            default -> a == null && op.equals("plus") && b instanceof CharSequence
                    ? "null" + b : Dispatch.call(a, op, new Object[] {b});
        };
    }

    private static int compare(Object a, Object b) {
        Limits.requireTame(a);
        Limits.requireTame(b);
        if (a != null && !(a instanceof Comparable<?>) || b != null && !(b instanceof Comparable<?>)) {
            throw new SandboxException("cannot compare " + kind(a) + " with " + kind(b));
        }
        return DefaultTypeTransformation.compareTo(a, b);
    }

    /** {@code value in caseValue}, a {@code case} label's test: Groovy's {@code isCase}, patterns over guarded text. */
    static boolean isCase(Object caseValue, Object value) {
        if (caseValue == null) {
            return value == null;
        }
        if (caseValue instanceof Pattern pattern) {
            return value != null && Regex.matcher(value, pattern).matches();
        }
        if (caseValue instanceof Class<?> type) {
            return type.isInstance(value);
        }
        if (caseValue instanceof Collection<?> || caseValue instanceof Map<?, ?>
                || caseValue instanceof CharSequence || caseValue instanceof Number) {
            return DefaultTypeTransformation.castToBoolean(
                    InvokerHelper.invokeMethod(caseValue, "isCase", new Object[] {value}));
        }
        if (caseValue instanceof Closure<?> c) {
            return DefaultTypeTransformation.castToBoolean(c.call(value));
        }
        return DefaultTypeTransformation.compareEqual(caseValue, value);
    }

    public static Object tame(Object number) {
        Limits.requireTame(number);
        return number;
    }

    public static boolean truth(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value == null) {
            return false;
        }
        Limits.requireTame(value);
        return DefaultTypeTransformation.castToBoolean(value);
    }

    public static Object unary(String op, Object a) {
        Limits.requireTame(a);
        if (a instanceof Number n) {
            switch (op) {
                case "next": return NumberMath.add(n, 1);
                case "previous": return NumberMath.subtract(n, 1);
                case "negative": return InvokerHelper.unaryMinus(n);
                case "positive": return n;
                default: break;
            }
        }
        if (op.equals("bitwiseNegate") && a instanceof CharSequence pattern) {
            return java.util.regex.Pattern.compile(pattern.toString());
        }
        return Dispatch.call(a, op, new Object[0]);
    }

    public static <T> T cast(Object value, Class<T> type, boolean coerce) {
        if (!RuleTypes.isValueType(type.getName()) && !(type.isArray()
                && RuleTypes.isValueType(type.getComponentType().getName()))) {
            throw new SandboxException("Emirax rules may not convert values to " + type.getName());
        }
        Limits.requireTame(value);
        if (value == null || type.isInstance(value)) {
            return type.cast(value);
        }
        if (type.isInterface() && (value instanceof Closure<?> || value instanceof Map<?, ?>)
                && !Map.class.isAssignableFrom(type)) {
            throw new SandboxException("Emirax rules may not turn a " + kind(value) + " into " + type.getName());
        }
        Object converted = coerce ? DefaultGroovyMethods.asType(value, type)
                : DefaultTypeTransformation.castToType(value, type);
        RuleBudget.checkNow();
        return wrap(type).cast(converted);
    }

    @SuppressWarnings("unchecked")
    private static <T> Class<T> wrap(Class<T> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return (Class<T>) Array.get(Array.newInstance(type, 1), 0).getClass();
    }

    public static <T> T construct(Class<T> type, Object[] args) {
        if (!RuleTypes.isConstructible(type.getName())) {
            throw new SandboxException("Emirax rules may not create " + type.getName());
        }
        for (Object a : args) {
            Limits.requireTame(a);
            if (a instanceof Number n && !(type == java.math.BigDecimal.class || type == java.math.BigInteger.class)) {
                RuleBudget.requireSize(n.doubleValue(), "new " + type.getSimpleName());
            }
        }
        return type.cast(InvokerHelper.invokeConstructorOf(type, args));
    }

    public static Object range(Object from, Object to, boolean exclusiveLeft, boolean exclusiveRight) {
        Limits.requireTame(from);
        Limits.requireTame(to);
        if (from instanceof Number a && to instanceof Number b) {
            RuleBudget.requireSize(Math.abs(b.doubleValue() - a.doubleValue()), "a range");
        }
        if (!(from instanceof Comparable<?> && to instanceof Comparable<?>)) {
            throw new SandboxException("a range needs two comparable ends, got " + kind(from) + " and " + kind(to));
        }
        if (from instanceof Integer a && to instanceof Integer b) {
            return new IntRange(!exclusiveLeft, !exclusiveRight, a, b);
        }
        Object lo = exclusiveLeft ? unary("next", from) : from;
        Object hi = exclusiveRight ? unary("previous", to) : to;
        return new ObjectRange((Comparable<?>) lo, (Comparable<?>) hi);
    }

    @SuppressWarnings("unchecked")
    public static Iterable<Object> iterable(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof Iterable<?> items) {
            return (Iterable<Object>) items;
        }
        if (value instanceof Map<?, ?> map) {
            return (Iterable<Object>) (Iterable<?>) map.entrySet();
        }
        if (value instanceof Object[] array) {
            return Arrays.asList(array);
        }
        if (value instanceof CharSequence text) {
            return (Iterable<Object>) (Iterable<?>) DefaultGroovyMethods.toList(
                    org.codehaus.groovy.runtime.StringGroovyMethods.toList(text));
        }
        throw new SandboxException("cannot loop over " + kind(value));
    }

    static String kind(Object value) {
        return value == null ? "null" : value instanceof Closure<?> ? "closure" : value.getClass().getName();
    }
}
