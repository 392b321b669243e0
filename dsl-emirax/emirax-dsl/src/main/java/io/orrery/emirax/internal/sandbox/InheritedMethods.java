package io.orrery.emirax.internal.sandbox;

import groovy.lang.Closure;
import io.orrery.emirax.EmiraxScript;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Type;

/**
 * The platform methods a rule class inherits: those of its allowed superclasses ({@link EmiraxScript},
 * {@link Closure}) and their superclasses, and the default methods of their interfaces. A call the class file names
 * on the tenant's own class, of a method the class does not declare, runs one of these (the JVM looks the method up
 * through the superclasses), so it is checked as a call on the class that declares it: {@code Script.evaluate}
 * named as {@code tenant/Wf.evaluate} is still {@code Script.evaluate}.
 */
final class InheritedMethods {

    /** By name and descriptor: the internal names of the platform classes declaring it. */
    private static final Map<String, Set<String>> DECLARING = declaring(EmiraxScript.class, Closure.class);

    private InheritedMethods() {
    }

    /** The platform classes a call of {@code name} with {@code descriptor} may run a method of; empty when none. */
    static Set<String> declaring(String name, String descriptor) {
        return DECLARING.getOrDefault(name + descriptor, Set.of());
    }

    private static Map<String, Set<String>> declaring(Class<?>... roots) {
        Map<String, Set<String>> declaring = new HashMap<>();
        Deque<Class<?>> todo = new ArrayDeque<>();
        Set<Class<?>> seen = new HashSet<>();
        for (Class<?> root : roots) {
            todo.add(root);
        }
        while (!todo.isEmpty()) {
            Class<?> type = todo.pop();
            if (!seen.add(type)) {
                continue;
            }
            for (Method m : type.getDeclaredMethods()) {
                boolean inherited = !Modifier.isPrivate(m.getModifiers())
                        && (!type.isInterface() || m.isDefault());
                if (inherited) {
                    declaring.computeIfAbsent(m.getName() + Type.getMethodDescriptor(m), k -> new HashSet<>())
                            .add(Type.getInternalName(type));
                }
            }
            if (type.getSuperclass() != null) {
                todo.add(type.getSuperclass());
            }
            todo.addAll(java.util.List.of(type.getInterfaces()));
        }
        return Map.copyOf(declaring);
    }
}
