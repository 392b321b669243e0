package io.orrery.emirax.internal.sandbox;

import io.orrery.emirax.sandbox.SandboxException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * Single operations that would build a huge value, or spin inside the JDK where no checkpoint runs, refused before
 * they start: string and list multiplication, padding, big ranges and indexes, huge powers and shifts, and
 * {@code BigDecimal}s whose exponent would make every operation on them expand to millions of digits.
 */
public final class Limits {

    /** The largest exponent (or shift) of an arbitrary-precision operation rule code may ask for. */
    static final int MAX_EXPONENT = 10_000;

    /** Calls that may build a large value from small arguments: checked against the budget right after. */
    static final Set<String> BUILDERS = Set.of("join", "multiply", "plus", "flatten", "toList", "toSet", "collect",
            "collectMany", "collectEntries", "findAll", "toSorted", "sort", "unique", "getAt", "readLines",
            "tokenize", "split", "reverse", "toCharArray", "getBytes", "chars", "repeat", "padLeft", "padRight",
            "center", "toArray", "collate", "withIndex", "indexed", "groupBy", "countBy", "append", "leftShift");

    private Limits() {
    }

    /** Refuses arguments that would make {@code name} on {@code receiver} build a value past the size limit. */
    static void requireSized(Object receiver, String name, Object[] args) {
        requireTame(receiver);
        for (Object a : args) {
            requireTame(a);
        }
        if (args.length == 0 || !(args[0] instanceof Number n)) {
            return;
        }
        double k = n.doubleValue();
        switch (name) {
            case "multiply" -> {
                if (receiver instanceof CharSequence s) {
                    RuleBudget.requireSize(s.length() * k, "multiplying a string");
                } else if (receiver instanceof Collection<?> c) {
                    RuleBudget.requireSize(c.size() * k, "multiplying a list");
                }
            }
            case "repeat" -> RuleBudget.requireSize(((CharSequence) receiver).length() * k, "repeat");
            case "padLeft", "padRight", "center", "setLength" -> RuleBudget.requireSize(k, name);
            case "power", "pow", "leftShift", "shiftLeft" -> requireExponent(receiver, k, name);
            case "setScale" -> requireExponent(BigInteger.TEN, k, name);
            default -> { }
        }
    }

    static void requireExponent(Object base, double exponent, String what) {
        boolean floating = base instanceof Double || base instanceof Float;
        if (!floating && Math.abs(exponent) > MAX_EXPONENT) {
            throw new SandboxException(what + " with an exponent of " + (long) exponent + " is not available to "
                    + "rules (at most " + MAX_EXPONENT + ")");
        }
    }

    /** Refuses numbers whose handling would run for minutes inside the JDK. */
    static void requireTame(Object value) {
        if (value instanceof BigDecimal d && (Math.abs(d.scale()) > MAX_EXPONENT
                || d.precision() > MAX_EXPONENT)) {
            throw new SandboxException("a number with an exponent of " + -d.scale() + " is not available to rules "
                    + "(at most " + MAX_EXPONENT + " digits)");
        }
        if (value instanceof BigInteger i && i.bitLength() > MAX_EXPONENT * 4) {
            throw new SandboxException("a number of " + i.bitLength() + " bits is not available to rules");
        }
    }

    /** A list index or map growth past the size limit. */
    public static void requireIndex(Object receiver, Object index) {
        requireTame(index);
        if (!(receiver instanceof Map) && index instanceof Number n) {
            RuleBudget.requireSize(Math.abs(n.doubleValue()), "an index");
        }
    }
}
