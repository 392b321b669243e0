package io.orrery.emirax.internal.sandbox;

import java.util.Map;
import java.util.Set;

/**
 * What a rule class file may reference besides its own classes: exactly what the Emirax compiler emits for rule
 * code once {@link RuleRewriter} has turned every dynamic operation into a call of
 * {@link io.orrery.emirax.sandbox.Checked} and Groovy has compiled the result statically. Owners are internal
 * names; {@code *} allows every member of the owner. A member may be tied to the one generated method that uses it.
 */
public final class BytecodeAllowList {

    private static final String UNBOX = "intUnbox longUnbox booleanUnbox doubleUnbox floatUnbox shortUnbox "
            + "byteUnbox charUnbox box";
    private static final String BOXES = "valueOf intValue longValue doubleValue floatValue shortValue byteValue "
            + "booleanValue charValue";

    /** Methods (by owner and name) rule code may invoke. */
    static final Map<String, Set<String>> METHODS = Map.ofEntries(
            Map.entry("io/orrery/emirax/sandbox/Checked", Set.of("*")),
            Map.entry("io/orrery/emirax/EmiraxScript", Set.of("<init>")),
            Map.entry("groovy/lang/Closure", Set.of("<init>", "getThisObject", "getOwner", "getDelegate",
                    "getResolveStrategy")),
            Map.entry("groovy/lang/Reference", Set.of("<init>", "get", "set")),
            Map.entry("java/lang/Object", Set.of("<init>", "getClass")),
            Map.entry("org/codehaus/groovy/runtime/ScriptBytecodeAdapter", Set.of("createMap", "createList",
                    "initMetaClass", "isCase")),
            Map.entry("org/codehaus/groovy/reflection/ClassInfo", Set.of("getClassInfo", "getMetaClass")),
            Map.entry("org/codehaus/groovy/runtime/typehandling/DefaultTypeTransformation", words(UNBOX)),
            Map.entry("java/lang/Integer", words(BOXES)), Map.entry("java/lang/Long", words(BOXES)),
            Map.entry("java/lang/Short", words(BOXES)), Map.entry("java/lang/Byte", words(BOXES)),
            Map.entry("java/lang/Double", words(BOXES)), Map.entry("java/lang/Float", words(BOXES)),
            Map.entry("java/lang/Boolean", words(BOXES)), Map.entry("java/lang/Character", words(BOXES)),
            Map.entry("org/codehaus/groovy/runtime/GStringImpl", Set.of("<init>")),
            Map.entry("org/codehaus/groovy/runtime/powerassert/ValueRecorder", Set.of("<init>", "record", "clear")),
            Map.entry("org/codehaus/groovy/runtime/powerassert/AssertionRenderer", Set.of("render")),
            Map.entry("org/codehaus/groovy/runtime/InvokerHelper", Set.of("createAssertError")),
            Map.entry("java/util/Iterator", Set.of("hasNext", "next")),
            Map.entry("java/lang/Iterable", Set.of("iterator")));

    /** Members only the one generated method of that name may use (Groovy's boilerplate of every class). */
    static final Map<String, String> ONLY_IN = Map.of(
            "java/lang/invoke/MethodHandles.lookup", "$getLookup",
            "org/codehaus/groovy/runtime/InvokerHelper.runScript", "main");

    /**
     * What a method not opening with a checkpoint may call besides its own class's methods that do
     * ({@link StopCheck}): members that run no rule code and no method a rule class could override, which is all
     * Groovy's generated constructors, closure bridges, default-argument overloads, accessors and meta-class
     * plumbing call.
     */
    static final Map<String, Set<String>> PLAIN = Map.ofEntries(
            Map.entry("io/orrery/emirax/sandbox/Checked", Set.of("checkpoint", "rethrowIfStopped")),
            Map.entry("io/orrery/emirax/EmiraxScript", Set.of("<init>")),
            Map.entry("groovy/lang/Closure", Set.of("<init>")),
            Map.entry("groovy/lang/Reference", Set.of("<init>", "get", "set")),
            Map.entry("java/lang/Object", Set.of("<init>", "getClass")),
            Map.entry("org/codehaus/groovy/runtime/ScriptBytecodeAdapter", Set.of("initMetaClass", "createList")),
            Map.entry("org/codehaus/groovy/reflection/ClassInfo", Set.of("getClassInfo", "getMetaClass")),
            Map.entry("java/lang/invoke/MethodHandles", Set.of("lookup")),
            Map.entry("java/lang/Integer", Set.of("valueOf")), Map.entry("java/lang/Long", Set.of("valueOf")),
            Map.entry("java/lang/Short", Set.of("valueOf")), Map.entry("java/lang/Byte", Set.of("valueOf")),
            Map.entry("java/lang/Double", Set.of("valueOf")), Map.entry("java/lang/Float", Set.of("valueOf")),
            Map.entry("java/lang/Boolean", Set.of("valueOf")), Map.entry("java/lang/Character", Set.of("valueOf")));

    /** Types rule code may create with {@code new} besides its own closures. */
    static final Set<String> NEW = Set.of("groovy/lang/Reference", "org/codehaus/groovy/runtime/GStringImpl",
            "org/codehaus/groovy/runtime/powerassert/ValueRecorder", "java/lang/Object");

    /** Types of fields, casts and {@code instanceof} besides the value types of {@link RuleTypes}. */
    static final Set<String> INTERNAL_TYPES = Set.of("groovy/lang/Reference", "groovy/lang/MetaClass",
            "org/codehaus/groovy/reflection/ClassInfo", "java/lang/Throwable", "groovy/lang/Closure",
            "java/lang/invoke/MethodHandles$Lookup", "groovy/lang/Binding", "java/lang/AssertionError");

    /** Superclasses a rule class may have: a script, or one of its closures. */
    static final Set<String> SUPERCLASSES = Set.of("io/orrery/emirax/EmiraxScript", "groovy/lang/Closure");

    static final Set<String> INTERFACES = Set.of("groovy/lang/GroovyObject",
            "org/codehaus/groovy/runtime/GeneratedClosure");

    private BytecodeAllowList() {
    }

    static boolean method(String owner, String name, String inMethod) {
        String only = ONLY_IN.get(owner + "." + name);
        if (only != null) {
            return only.equals(inMethod);
        }
        Set<String> names = METHODS.get(owner);
        return names != null && (names.contains("*") || names.contains(name));
    }

    /** May a method not opening with a checkpoint call this ({@link #PLAIN})? */
    static boolean plain(String owner, String name) {
        return PLAIN.getOrDefault(owner, Set.of()).contains(name);
    }

    /** A type named in a cast, {@code instanceof}, a class literal or a field: a value type or Groovy's plumbing. */
    static boolean type(String internalName) {
        String name = internalName;
        while (name.startsWith("[")) {
            name = name.substring(1);
        }
        if (name.startsWith("L") && name.endsWith(";")) {
            name = name.substring(1, name.length() - 1);
        } else if (name.length() == 1) {
            return true; // a primitive
        }
        return INTERNAL_TYPES.contains(name) || RuleTypes.isValueType(name.replace('/', '.'));
    }

    private static Set<String> words(String names) {
        return Set.of(names.split(" "));
    }
}
