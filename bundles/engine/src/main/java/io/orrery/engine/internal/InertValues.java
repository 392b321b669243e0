package io.orrery.engine.internal;

import groovy.lang.Closure;
import groovy.lang.GString;
import groovy.lang.GroovyObject;
import groovy.lang.IntRange;
import groovy.lang.Range;
import groovy.lang.Script;
import io.orrery.api.engine.JsonData;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Refuses values whose conversion to JSON data would run rule code. The engine converts what a rule left in its state
 * after the rule's section returned, where neither the time limit nor the memory budget holds, and Groovy values may
 * run code as they are converted: a lazy GString ({@code "${-> ...}"}) calls its closure, a closure made into a map
 * ({@code {...} as Map}) runs for every method, and any GString makes its text from what it holds, through that
 * object's own {@code toString} (the script's, a Groovy exception's, which renders a call's arguments). So nothing
 * may be or hold a closure, a proxy or a Groovy object other than a GString, and a GString may hold only values whose
 * text the JDK makes (strings, numbers, booleans, dates and times, maps and lists of them). The walk itself calls
 * nothing but the JDK's and Groovy's own collections.
 */
final class InertValues {

    /** Containers walked so far, true once walked as a GString's content (whose leaves are checked more strictly). */
    private final Map<Object, Boolean> seen = new IdentityHashMap<>();

    private InertValues() {
    }

    /** Throws an {@link IllegalArgumentException} naming {@code path} if converting the value would run rule code. */
    static void require(Object value, String path) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return; // the common case, without a walk
        }
        String refused = new InertValues().check(value, false, 0);
        if (refused != null) {
            throw new IllegalArgumentException(path + refused);
        }
    }

    /** The value as plain JSON data, if converting it runs no rule code. */
    static Object copy(Object value, String path) {
        require(value, path);
        return JsonData.copy(value, path);
    }

    /**
     * Null if the value is inert, else where below it the refused part is and why ({@code .a[2]: a closure ...}).
     * {@code inText}: the value's text will be made (a GString holds it, or it is a map key).
     */
    private String check(Object v, boolean inText, int depth) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Character
                || v instanceof Number && v.getClass().getName().startsWith("java.") || v instanceof Enum<?>) {
            return null;
        }
        if (depth >= JsonData.MAX_DEPTH) {
            // the copy refuses such data too; this walk must stop first, or it overflows the stack
            return ": nested deeper than " + JsonData.MAX_DEPTH + " levels of maps and lists";
        }
        if (v instanceof Closure<?>) {
            return ": a closure is not a value";
        }
        if (v instanceof GString g) {
            return gString(g, depth);
        }
        if (v instanceof Script) {
            return ": the script (this) is not a value";
        }
        if (v instanceof GroovyObject || Proxy.isProxyClass(v.getClass())) {
            // {...} as Map, [entrySet: {...}] as SortedMap: any of its methods may run a closure
            return ": a " + v.getClass().getName() + " (made with 'as'?) is not a value; use a plain map or list";
        }
        if (!(v instanceof Map || v instanceof Collection || v instanceof Object[])) {
            // The copy makes a string of any other text, and refuses other leaves naming just their class.
            return inText || v instanceof CharSequence ? text(v) : null;
        }
        Boolean walked = seen.get(v);
        if (walked != null && (walked || !inText)) {
            return null; // shared, or a cycle: the copy names a cycle
        }
        seen.put(v, inText);
        if (v instanceof Map<?, ?> m) {
            return map(m, inText, depth);
        }
        if (v instanceof Range<?> r) {
            return range(r, depth);
        }
        return elements(v instanceof Collection<?> c ? c : Arrays.asList((Object[]) v), inText, depth);
    }

    private String gString(GString g, int depth) {
        for (Object part : g.getValues()) {
            if (part instanceof Closure<?>) {
                return ": a lazy GString (${-> …}) is not a value; without the arrow (\"${…}\") its text is made "
                        + "in the rule";
            }
            String refused = check(part, true, depth + 1);
            if (refused != null) {
                return " (a GString)" + refused;
            }
        }
        return null;
    }

    private String map(Map<?, ?> m, boolean inText, int depth) {
        for (var e : m.entrySet()) {
            Object key = e.getKey();
            String refused = check(key, true, depth + 1);
            if (refused != null) {
                return " (a key)" + refused;
            }
            refused = check(e.getValue(), inText, depth + 1);
            if (refused != null) {
                return (key instanceof String k ? "." + k : "[?]") + refused;
            }
        }
        return null;
    }

    /** A range's elements come from its ends ({@code next()} of each): its ends are what must be inert. */
    private String range(Range<?> r, int depth) {
        if (r instanceof IntRange) {
            return null;
        }
        String refused = check(r.getFrom(), true, depth + 1);
        return refused != null ? refused : check(r.getTo(), true, depth + 1);
    }

    private String elements(Collection<?> c, boolean inText, int depth) {
        int i = 0;
        for (Object o : c) {
            String refused = check(o, inText, depth + 1);
            if (refused != null) {
                return "[" + i + "]" + refused;
            }
            i++;
        }
        return null;
    }

    /**
     * A leaf whose text will be made: only values whose text the JDK makes from plain data, and exceptions of the JDK
     * and the platform, whose messages are made when they are thrown (Groovy's render a call's arguments when read).
     */
    private static String text(Object v) {
        String type = v.getClass().getName();
        boolean plain = type.startsWith("java.time.") || v instanceof UUID || v instanceof Date
                || (v instanceof CharSequence || v instanceof Throwable) && type.startsWith("java.")
                || v instanceof Throwable && type.startsWith("io.orrery.");
        return plain ? null : ": a " + type + " would make its text after the rule, outside its limits; "
                + "make the text in the rule";
    }
}
