package io.orrery.emirax.internal.sandbox;

import groovy.lang.Closure;
import groovy.lang.GString;
import io.orrery.api.engine.CallRequest;
import io.orrery.emirax.EmiraxScript;
import io.orrery.emirax.dsl.ActionScope;
import io.orrery.emirax.dsl.InputContext;
import io.orrery.emirax.dsl.MatchScope;
import io.orrery.emirax.dsl.RuleContext;
import io.orrery.emirax.dsl.WorkflowContext;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;

/**
 * What rule code may touch, by receiver type and member name: plain values (strings, numbers, booleans, maps,
 * lists, sets, dates and {@code java.time} values, math), the DSL's own verbs and scopes, and Groovy's collection
 * methods that take closures. Nothing else. Decisions are cached per (class, name), so the hot path is two hash
 * lookups. The type names are shared with the compiler ({@link RuleTypes}), which refuses the same things early.
 */
public final class AllowList {

    /** Names refused on every receiver, whatever list a type is on: they reach the runtime or the meta-level. */
    static final Set<String> NEVER = names("getClass", "class", "metaClass", "getMetaClass", "setMetaClass",
            "invokeMethod", "getProperty", "setProperty", "properties", "getProperties", "respondsTo", "hasProperty",
            "wait", "notify", "notifyAll", "with", "tap", "identity", "use", "execute", "evaluate", "sleep", "print",
            "println", "printf", "dump", "inspect", "addShutdownHook", "mixin", "finalize", "clone", "toURL", "toURI",
            "getText", "text", "newInstance", "forName", "asType", "metaPropertyValues", "getMetaPropertyValues",
            "getDeclaringClass", "declaringClass", "getClassLoader", "classLoader", "stream", "parallelStream",
            "permutations", "eachPermutation", "combinations", "eachCombination", "subsequences");

    static final Set<String> OBJECT = names("equals", "hashCode", "toString", "compareTo", "asBoolean", "is",
            "isCase");

    static final Set<String> STRING = names("length", "charAt", "substring", "subSequence", "indexOf",
            "lastIndexOf", "startsWith", "endsWith", "contains", "trim", "strip", "stripLeading", "stripTrailing",
            "isBlank", "isEmpty", "toUpperCase", "toLowerCase", "split", "replace", "replaceAll", "replaceFirst",
            "matches", "equalsIgnoreCase", "compareToIgnoreCase", "concat", "codePointAt", "chars", "lines",
            "repeat", "toCharArray", "getBytes", "intern", "plus", "minus", "multiply", "getAt", "size",
            "tokenize", "padLeft", "padRight", "center", "capitalize", "uncapitalize", "reverse", "toInteger",
            "toLong", "toBigDecimal", "toBigInteger", "toDouble", "toFloat", "toBoolean", "isNumber", "isInteger",
            "isLong", "isDouble", "isBigDecimal", "isBigInteger", "take", "drop", "takeWhile", "dropWhile",
            "readLines", "stripIndent", "stripMargin", "toList", "toSet", "count", "each", "eachWithIndex",
            "collect", "any", "every", "contentEquals", "next", "previous", "leftShift", "getChars", "codePoints",
            "toCharacter", "isAllWhitespace", "md5", "sha256", "encodeBase64", "decodeBase64", "values", "getValues",
            "getStrings", "strings", "tr", "normalize", "denormalize", "negative", "bitwiseNegate", "append",
            "insert", "deleteCharAt", "setLength", "delete");

    static final Set<String> NUMBER = names("intValue", "longValue", "doubleValue", "floatValue", "shortValue",
            "byteValue", "plus", "minus", "multiply", "div", "mod", "remainder", "power", "intdiv", "abs", "round",
            "toInteger", "toLong", "toBigDecimal", "toBigInteger", "toDouble", "toFloat", "times", "upto",
            "downto", "step", "negate", "signum", "scale", "setScale", "precision", "stripTrailingZeros",
            "toPlainString", "unscaledValue", "max", "min", "leftShift", "rightShift", "rightShiftUnsigned", "and",
            "or", "xor", "bitwiseNegate", "negative", "positive", "next", "previous", "isNaN", "isInfinite",
            "ceil", "floor", "trunc", "sqrt", "pow", "toHexString", "booleanValue", "charValue", "isDigit",
            "isLetter", "isLetterOrDigit", "isWhitespace", "isUpperCase", "isLowerCase", "toUpperCase",
            "toLowerCase", "getAt");

    static final Set<String> ITERABLE = names("each", "eachWithIndex", "collect", "collectEntries",
            "collectMany", "collectNested", "find", "findAll", "findResult", "findResults", "findIndexOf",
            "findIndexValues", "findLastIndexOf", "any", "every", "sum", "inject", "sort", "toSorted", "groupBy",
            "countBy", "count", "unique", "toUnique", "reverse", "max", "min", "first", "last", "head", "tail",
            "init", "take", "drop", "takeWhile", "dropWhile", "takeRight", "dropRight", "join", "flatten", "plus",
            "minus", "multiply", "getAt", "putAt", "leftShift", "size", "isEmpty", "contains", "containsAll",
            "indexOf", "lastIndexOf", "get", "set", "add", "addAll", "remove", "removeAll", "retainAll", "removeAt",
            "subList", "asList", "toList", "toSet", "asImmutable", "asUnmodifiable", "withIndex", "indexed",
            "collate", "split", "intersect", "disjoint", "clear", "iterator", "hasNext", "next", "average",
            "chop", "getFrom", "getTo", "isReverse", "step", "asReversed", "toArray", "length", "grep", "shuffled",
            "swap", "transpose", "withDefault", "reverseEach", "eachWithIndex", "containsWithinBounds", "getEmpty",
            "empty", "push", "pop", "removeLast", "removeFirst", "addFirst", "addLast", "sum", "toSpreadMap",
            "getAt", "minus", "listIterator");

    static final Set<String> MAP = names("get", "put", "putAll", "remove", "containsKey", "containsValue",
            "isEmpty", "size", "keySet", "values", "entrySet", "getOrDefault", "putIfAbsent", "clear", "each",
            "eachWithIndex", "collect", "collectEntries", "collectMany", "find", "findAll", "findResult", "any",
            "every", "count", "countBy", "groupBy", "groupEntriesBy", "inject", "sort", "toSorted", "max", "min",
            "sum", "subMap", "plus", "minus", "withDefault", "asImmutable", "asUnmodifiable", "take", "drop",
            "getAt", "putAt", "findResults", "leftShift", "firstEntry", "lastEntry", "firstKey", "lastKey",
            "headMap", "tailMap", "getKey", "getValue", "key", "value", "setValue", "reverseEach", "containsWithinBounds",
            "intersect", "dropWhile", "takeWhile", "spread");

    static final Set<String> MATCHER = names("find", "matches", "lookingAt", "group", "groupCount", "start",
            "end", "getCount", "count", "size", "getAt", "hasGroup", "iterator", "each", "collect");

    static final Set<String> CLOSURE = names("call", "curry", "rcurry", "ncurry", "getMaximumNumberOfParameters");

    static final Set<String> THROWABLE = names("getMessage", "message", "getLocalizedMessage",
            "localizedMessage", "getCause", "cause");

    static final Set<String> CALL_REQUEST = names("key", "getKey", "target", "getTarget", "args", "getArgs",
            "kind", "getKind", "priority", "timeout", "retries", "exclusive", "name");

    static final Set<String> INPUT = names("required", "optional");
    static final Set<String> RULE = names("salience", "match", "action", "reaction", "error");
    static final Set<String> WORKFLOW = names("version", "input", "rule");
    static final Set<String> MATCH = names("input", "state", "output", "key", "getInput", "getState", "getOutput",
            "getKey");
    static final Set<String> ACTION = union(MATCH, Set.of("call", "emiraxCall", "workflow", "after", "complete",
            "fail"));
    static final Set<String> SCRIPT = names("workflow", "function");

    /** Methods the compiler or Groovy generates on a script class; never callable from rule code. */
    static final Set<String> SCRIPT_GENERATED = names("run", "main", "model");

    private static final ClassValue<Decisions> DECISIONS = new ClassValue<>() {
        @Override
        protected Decisions computeValue(Class<?> type) {
            return new Decisions();
        }
    };

    private AllowList() {
    }

    /** May rule code call {@code name} on an instance of {@code type}? */
    public static boolean method(Class<?> type, String name) {
        return DECISIONS.get(type).methods.computeIfAbsent(name, n -> decideMethod(type, n));
    }

    /** May rule code read the property {@code name} of an instance of {@code type}? */
    public static boolean property(Class<?> type, String name) {
        return DECISIONS.get(type).properties.computeIfAbsent(name, n -> decideProperty(type, n));
    }

    private static boolean decideMethod(Class<?> type, String name) {
        if (NEVER.contains(name) || name.indexOf('$') >= 0) {
            return false;
        }
        return OBJECT.contains(name) && !EmiraxScript.class.isAssignableFrom(type) || membersOf(type, name);
    }

    private static boolean decideProperty(Class<?> type, String name) {
        if (NEVER.contains(name) || name.indexOf('$') >= 0) {
            return false;
        }
        if (Throwable.class.isAssignableFrom(type)) {
            return THROWABLE.contains(name);
        }
        if (CallRequest.class.isAssignableFrom(type)) {
            return CALL_REQUEST.contains(name);
        }
        if (MatchScope.class.isAssignableFrom(type)) {
            return MATCH.contains(name);
        }
        if (Map.Entry.class.isAssignableFrom(type)) {
            return name.equals("key") || name.equals("value");
        }
        if (RuleTypes.isTimeType(type.getName())) {
            return true;
        }
        return (type == String.class || GString.class.isAssignableFrom(type) || Number.class.isAssignableFrom(type))
                && (name.equals("bytes") || name.equals("empty") || name.equals("blank"));
    }

    private static boolean membersOf(Class<?> type, String name) {
        if (type == String.class || GString.class.isAssignableFrom(type) || type == StringBuilder.class) {
            return STRING.contains(name);
        }
        if (Number.class.isAssignableFrom(type) && RuleTypes.isValueType(type.getName())
                || type == Boolean.class || type == Character.class) {
            return NUMBER.contains(name);
        }
        if (Map.class.isAssignableFrom(type) || Map.Entry.class.isAssignableFrom(type)) {
            return MAP.contains(name);
        }
        if (Iterable.class.isAssignableFrom(type) || Iterator.class.isAssignableFrom(type) || type.isArray()) {
            return ITERABLE.contains(name);
        }
        if (type == Matcher.class) {
            return MATCHER.contains(name);
        }
        if (Closure.class.isAssignableFrom(type)) {
            return CLOSURE.contains(name);
        }
        if (Throwable.class.isAssignableFrom(type)) {
            return THROWABLE.contains(name);
        }
        if (CallRequest.class.isAssignableFrom(type)) {
            return CALL_REQUEST.contains(name);
        }
        if (RuleTypes.isTimeType(type.getName()) || type == java.util.UUID.class || type.isEnum()
                && RuleTypes.isValueType(type.getName())) {
            return true;
        }
        return dslMembers(type, name);
    }

    private static boolean dslMembers(Class<?> type, String name) {
        if (ActionScope.class.isAssignableFrom(type)) {
            return ACTION.contains(name);
        }
        if (MatchScope.class.isAssignableFrom(type)) {
            return MATCH.contains(name);
        }
        if (RuleContext.class.isAssignableFrom(type)) {
            return RULE.contains(name);
        }
        if (WorkflowContext.class.isAssignableFrom(type)) {
            return WORKFLOW.contains(name);
        }
        if (InputContext.class.isAssignableFrom(type)) {
            return INPUT.contains(name);
        }
        if (EmiraxScript.class.isAssignableFrom(type)) {
            return SCRIPT.contains(name) || declaredByTenant(type, name);
        }
        return false;
    }

    // A method the tenant wrote in the script itself: its code went through the same compiler.
    private static boolean declaredByTenant(Class<?> type, String name) {
        if (SCRIPT_GENERATED.contains(name) || type.getSuperclass() != EmiraxScript.class) {
            return false;
        }
        for (Method m : type.getDeclaredMethods()) {
            if (m.getName().equals(name) && Modifier.isPublic(m.getModifiers()) && !m.isSynthetic()) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        var all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    private static final class Decisions {
        final Map<String, Boolean> methods = new ConcurrentHashMap<>();
        final Map<String, Boolean> properties = new ConcurrentHashMap<>();
    }

    private static Set<String> names(String... names) {
        return Set.copyOf(java.util.Arrays.asList(names));
    }
}
