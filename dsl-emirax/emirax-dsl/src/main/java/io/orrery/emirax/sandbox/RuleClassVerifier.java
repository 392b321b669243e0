package io.orrery.emirax.sandbox;

import io.orrery.emirax.internal.sandbox.ClassCheck;
import io.orrery.emirax.internal.sandbox.FunctionSplit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks the class files of compiled Emirax rules before the server loads them: a class is accepted only if it is
 * what the Emirax compiler emits for rule code, which holds no dynamic call site at all, only static calls of
 * {@link Checked} and a short list of Groovy's own plumbing. Refused among others: {@code invokedynamic}, method
 * handle and dynamic constants, static initializers, native methods, any superclass but
 * {@link io.orrery.emirax.EmiraxScript} (for a script) or {@code groovy.lang.Closure} (for its closures), and any
 * type, method or field off the allow-list. So a hand-written {@code EmiraxScript} subclass doing I/O in
 * {@code run()}, a class with a static initializer, or a rule compiled without the sandbox (a tenant build run with
 * {@code -Demirax.skip=true}) are refused, whatever the tenant's build claims. The engine must also be able to stop
 * every method, which it does only through {@link Checked#checkpoint()} and {@link Checked#rethrowIfStopped}: a loop
 * that does not call a checkpoint on every turn, a handler that can swallow a stop and return, recursion through a
 * method that does not open with a checkpoint, and arrays of a size computed at run time are refused too.
 *
 * <p>The server calls it on every class of a tenant bundle it may load, before loading any; function classes
 * ({@link #isFunctionClass}) hold function bodies, run only in function hosts, and must never be loaded by the
 * server. No OSGi dependency: plain static methods.
 */
public final class RuleClassVerifier {

    private RuleClassVerifier() {
    }

    /**
     * Verifies one class.
     *
     * @param className binary name ({@code a.b.C$_closure1})
     * @param classFile its class-file bytes
     * @return the violations; empty when the class is accepted
     */
    public static List<Violation> verify(String className, byte[] classFile) {
        return ClassCheck.check(className, classFile, null);
    }

    /**
     * Verifies a set of classes together (a bundle's rule classes): each as {@link #verify}, and every reference to
     * another class of the same script must name a class of the set, so nothing unverified is loaded by way of a
     * verified class.
     *
     * @param classes binary name to class-file bytes
     */
    public static List<Violation> verifyAll(Map<String, byte[]> classes) {
        List<Violation> all = new ArrayList<>();
        new TreeMap<>(classes).forEach((name, bytes) -> all.addAll(ClassCheck.check(name, bytes, classes.keySet())));
        return all;
    }

    /**
     * Verifies a compiled script and every class of it its code can reach (its closures), reading each class file
     * through {@code loader} before anything is defined from it: what {@link io.orrery.emirax.EmiraxLoader} does
     * before it runs a script.
     */
    public static List<Violation> verifyScript(ClassLoader loader, String scriptClass) {
        return ClassCheck.checkReachable(loader, scriptClass);
    }

    /**
     * True for a class holding Emirax function bodies ({@code <script>$functions} and its closures): it runs in
     * function hosts only; the server never loads it and a rule class never references it.
     */
    public static boolean isFunctionClass(String className) {
        return FunctionSplit.isFunctionClass(className);
    }
}
