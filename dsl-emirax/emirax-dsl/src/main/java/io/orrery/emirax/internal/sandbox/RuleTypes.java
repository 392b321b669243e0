package io.orrery.emirax.internal.sandbox;

import java.util.Map;
import java.util.Set;

/**
 * The types rule code may name: in declarations, casts, {@code instanceof}, class literals, {@code new}, static
 * calls and {@code catch}. Shared by the compiler (which refuses anything else with the file and line), the checker
 * (which refuses it at run time) and the class verifier (which refuses class files naming anything else).
 */
public final class RuleTypes {

    /** Plain values: may be named anywhere (declarations, casts, instanceof, class literals). */
    static final Set<String> VALUES = names("java.lang.Object", "java.lang.String", "java.lang.CharSequence",
            "java.lang.Integer", "java.lang.Long", "java.lang.Short", "java.lang.Byte", "java.lang.Double",
            "java.lang.Float", "java.lang.Number", "java.lang.Boolean", "java.lang.Character",
            "java.math.BigDecimal", "java.math.BigInteger", "java.math.RoundingMode", "java.util.Map",
            "java.util.List", "java.util.Set", "java.util.Collection", "java.lang.Iterable", "java.util.Iterator",
            "java.util.Map$Entry", "java.util.LinkedHashMap", "java.util.HashMap", "java.util.TreeMap",
            "java.util.ArrayList", "java.util.LinkedList", "java.util.HashSet", "java.util.LinkedHashSet",
            "java.util.TreeSet", "java.util.Date", "java.util.UUID", "java.lang.StringBuilder",
            "groovy.lang.GString", "groovy.lang.Closure", "groovy.lang.Range", "groovy.lang.IntRange",
            "groovy.lang.ObjectRange", "java.util.regex.Matcher", "java.util.regex.Pattern",
            "java.lang.Math", "java.util.Objects", "java.util.Collections", "java.util.Arrays",
            "io.orrery.api.engine.CallRequest", "io.orrery.api.engine.CallKind",
            "io.orrery.api.engine.CallFailedException",
            "int", "long", "short", "byte", "double", "float", "boolean", "char", "void");

    /** Exceptions rule code may throw and catch. */
    static final Set<String> EXCEPTIONS = names("java.lang.Exception", "java.lang.RuntimeException",
            "java.lang.IllegalArgumentException", "java.lang.IllegalStateException",
            "java.lang.ArithmeticException", "java.lang.NumberFormatException", "java.lang.NullPointerException",
            "java.lang.IndexOutOfBoundsException", "java.lang.UnsupportedOperationException",
            "io.orrery.api.engine.CallFailedException");

    /** {@code java.time} value types (immutable; every public member allowed but the meta-level ones). */
    static final String TIME_PACKAGE = "java.time.";

    /** Types rule code may construct with {@code new}. */
    static final Set<String> CONSTRUCTIBLE = names("java.lang.Object", "java.lang.String",
            "java.lang.StringBuilder", "java.math.BigDecimal", "java.math.BigInteger", "java.util.LinkedHashMap",
            "java.util.HashMap", "java.util.TreeMap", "java.util.ArrayList", "java.util.LinkedList",
            "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet", "java.util.Date",
            "java.lang.Exception", "java.lang.RuntimeException", "java.lang.IllegalArgumentException",
            "java.lang.IllegalStateException", "java.lang.UnsupportedOperationException");

    /** Static members per type; {@code *} means every public static member (pure functions of their arguments). */
    static final Map<String, Set<String>> STATICS = Map.ofEntries(
            Map.entry("java.lang.Math", names("*")),
            Map.entry("java.lang.Integer", names("parseInt", "valueOf", "toString", "MAX_VALUE", "MIN_VALUE",
                    "compare", "sum", "max", "min", "signum", "toHexString", "toBinaryString")),
            Map.entry("java.lang.Long", names("parseLong", "valueOf", "toString", "MAX_VALUE", "MIN_VALUE",
                    "compare", "sum", "max", "min", "signum", "toHexString")),
            Map.entry("java.lang.Double", names("parseDouble", "valueOf", "toString", "MAX_VALUE", "MIN_VALUE",
                    "compare", "sum", "max", "min", "isNaN", "isInfinite", "NaN", "POSITIVE_INFINITY",
                    "NEGATIVE_INFINITY")),
            Map.entry("java.lang.Boolean", names("valueOf", "parseBoolean", "TRUE", "FALSE", "toString")),
            Map.entry("java.lang.Character", names("isDigit", "isLetter", "isLetterOrDigit", "isWhitespace",
                    "isUpperCase", "isLowerCase", "toUpperCase", "toLowerCase", "valueOf")),
            Map.entry("java.lang.String", names("valueOf", "join")),
            Map.entry("java.math.BigDecimal", names("valueOf", "ZERO", "ONE", "TEN")),
            Map.entry("java.math.BigInteger", names("valueOf", "ZERO", "ONE", "TWO", "TEN")),
            Map.entry("java.math.RoundingMode", names("*")),
            Map.entry("java.util.UUID", names("randomUUID", "fromString")),
            Map.entry("java.util.Objects", names("equals", "hash", "hashCode", "isNull", "nonNull", "toString",
                    "requireNonNull", "requireNonNullElse")),
            Map.entry("java.util.List", names("of", "copyOf")),
            Map.entry("java.util.Set", names("of", "copyOf")),
            Map.entry("java.util.Map", names("of", "copyOf", "entry")),
            Map.entry("java.util.Collections", names("emptyList", "emptyMap", "emptySet", "unmodifiableList",
                    "unmodifiableMap", "unmodifiableSet", "singletonList", "singletonMap", "singleton", "sort",
                    "reverse", "max", "min")),
            Map.entry("java.util.Arrays", names("asList")),
            Map.entry("io.orrery.api.engine.CallKind", names("*")));

    private RuleTypes() {
    }

    /** May rule code name this type (a declaration, a cast, a class literal, instanceof)? */
    public static boolean isValueType(String name) {
        return VALUES.contains(name) || isTimeType(name) || EXCEPTIONS.contains(name);
    }

    public static boolean isTimeType(String name) {
        return name.startsWith(TIME_PACKAGE) && name.indexOf('.', TIME_PACKAGE.length()) < 0
                && !name.equals("java.time.Clock") || name.startsWith("java.time.temporal.Chrono")
                || name.equals("java.time.format.DateTimeFormatter");
    }

    public static boolean isConstructible(String name) {
        return CONSTRUCTIBLE.contains(name);
    }

    public static boolean isCatchable(String name) {
        return EXCEPTIONS.contains(name);
    }

    /** May rule code use this static member (a method or a constant) of this type? */
    public static boolean isStatic(String type, String member) {
        if (AllowList.NEVER.contains(member) || member.indexOf('$') >= 0) {
            return false;
        }
        if (isTimeType(type)) {
            return true;
        }
        Set<String> members = STATICS.get(type);
        return members != null && (members.contains("*") || members.contains(member));
    }

    private static Set<String> names(String... names) {
        return Set.copyOf(java.util.Arrays.asList(names));
    }
}
