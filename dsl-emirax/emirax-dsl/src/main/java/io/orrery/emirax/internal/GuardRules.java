package io.orrery.emirax.internal;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The explicit list of what Emirax code may not use, checked at compile time by {@link ForbiddenApiGuard}.
 * Everywhere: anything that stops or escapes the node or the engine's time limits (exit, processes, threads and
 * executors, class loading, reflection, meta-programming, evaluating strings as code, the engine's internals).
 * Inside {@code workflow} blocks also I/O and sleeping, since rules must be quick, pure functions of their facts;
 * {@code function} blocks run on workers and may read files.
 */
public final class GuardRules {

    /** Types (exact names, or prefixes ending in '.') refused everywhere. */
    static final List<String> TYPES = List.of(
            "java.lang.Runtime", "java.lang.ProcessBuilder", "java.lang.Process", "java.lang.ProcessHandle",
            "java.lang.Thread", "java.lang.ThreadGroup", "java.lang.ClassLoader", "java.lang.Class",
            "java.lang.SecurityManager", "java.lang.Module", "java.lang.ModuleLayer", "java.lang.StackWalker",
            "java.lang.reflect.", "java.lang.invoke.", "java.lang.management.", "java.lang.instrument.",
            "java.util.concurrent.Executors", "java.util.concurrent.ExecutorService",
            "java.util.concurrent.ThreadPoolExecutor", "java.util.concurrent.ScheduledThreadPoolExecutor",
            "java.util.concurrent.ForkJoinPool", "java.util.concurrent.CompletableFuture",
            "java.util.concurrent.ThreadFactory", "java.util.Timer",
            "java.net.URLClassLoader", "javax.script.", "javax.management.",
            "groovy.lang.GroovyShell", "groovy.lang.GroovyClassLoader", "groovy.lang.GroovySystem",
            "groovy.lang.MetaClass", "groovy.lang.ExpandoMetaClass", "groovy.lang.MetaClassImpl",
            "groovy.util.Eval", "groovy.grape.", "groovy.lang.Grab",
            "org.codehaus.groovy.", "org.apache.groovy.", "groovyjarjarasm.",
            "sun.", "jdk.", "com.sun.",
            "io.orrery.engine.", "io.orrery.emirax.internal.");

    /** The only members of {@code java.lang.System} allowed. */
    static final Set<String> SYSTEM_ALLOWED = Set.of("currentTimeMillis", "nanoTime", "lineSeparator",
            "identityHashCode", "arraycopy");

    /** Method names refused on any receiver, since Groovy may dispatch them dynamically. */
    static final Set<String> METHODS = Set.of(
            "execute", "exit", "halt", "forName", "getClassLoader", "getClass", "setAccessible", "newInstance",
            "getDeclaredMethod", "getDeclaredMethods", "getDeclaredField", "getDeclaredFields",
            "getDeclaredConstructor", "getDeclaredConstructors", "getMethod", "getMethods", "getConstructor",
            "getConstructors", "invokeMethod", "getMetaClass", "setMetaClass", "evaluate", "loadClass",
            "defineClass", "addShutdownHook", "load", "loadLibrary", "setProperty", "getenv", "start");

    /** Property names refused on any receiver. */
    static final Set<String> PROPERTIES = Set.of("class", "metaClass", "classLoader", "declaredMethods",
            "declaredFields", "methods", "constructors", "runtime");

    /** Annotations refused: they run code or fetch dependencies while compiling. */
    static final List<String> ANNOTATIONS = List.of("groovy.lang.Grab", "groovy.lang.GrabConfig",
            "groovy.lang.GrabResolver", "groovy.lang.GrabExclude", "groovy.lang.Grapes", "groovy.transform.ASTTest",
            "groovy.transform.AnnotationCollector");

    /** Types refused inside {@code workflow} blocks only (rules do no I/O). */
    static final List<String> WORKFLOW_TYPES = List.of("java.io.File", "java.io.RandomAccessFile",
            "java.nio.file.", "java.nio.channels.", "java.net.", "java.sql.", "javax.naming.");

    /** Method names refused inside {@code workflow} blocks only. */
    static final Set<String> WORKFLOW_METHODS = Set.of("sleep", "wait", "notify", "notifyAll", "println", "print");

    private GuardRules() {
    }

    /** Why a type is refused, or empty. */
    static Optional<String> refusedType(String type, boolean inWorkflow) {
        if (matches(TYPES, type)) {
            return Optional.of(type + " is not available to Emirax code");
        }
        if (inWorkflow && matches(WORKFLOW_TYPES, type)) {
            return Optional.of(type + " is not available in workflow rules (rules do no I/O; use a function)");
        }
        return Optional.empty();
    }

    private static boolean matches(List<String> rules, String type) {
        for (String r : rules) {
            if (r.endsWith(".") ? type.startsWith(r) : type.equals(r) || type.startsWith(r + "$")) {
                return true;
            }
        }
        return false;
    }

    static boolean refusedAnnotation(String type) {
        return ANNOTATIONS.stream().anyMatch(type::equals);
    }
}
