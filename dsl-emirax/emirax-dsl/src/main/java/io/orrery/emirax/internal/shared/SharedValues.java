package io.orrery.emirax.internal.shared;

import groovy.lang.Binding;
import groovy.lang.Closure;
import groovy.lang.Range;
import groovy.lang.Reference;
import io.orrery.api.engine.JsonData;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Seals what the rule sections of a script share once its model is built. A section is one closure run by every
 * instance of its workflow, on any lane at once: the variables it reads from outside itself (the script's and the
 * workflow's or rule's locals, which Groovy hands to the closure as {@link Reference}s, and the script's binding)
 * would otherwise be one object for all of them, where one instance could leave data for another and a tenant could
 * grow memory that no section's budget counts. Sealed, such a variable holds a read-only copy of its value (plain
 * data, or a value that cannot change) and cannot be assigned; a value that cannot be made read-only fails the
 * deploy, naming the variable.
 */
public final class SharedValues {

    private final Map<Reference<?>, SealedReference> sealed = new IdentityHashMap<>();
    private final Set<Closure<?>> visited = Collections.newSetFromMap(new IdentityHashMap<>());

    private SharedValues() {
    }

    /** Seals the variables these sections read from outside themselves, and the script's binding. */
    public static void seal(Collection<? extends Closure<?>> sections, Binding binding) {
        SharedValues values = new SharedValues();
        for (Closure<?> section : sections) {
            values.sealCaptured(section);
        }
        Map<?, ?> variables = binding.getVariables();
        for (Object name : List.copyOf(variables.keySet())) {
            String variable = String.valueOf(name);
            if (!variable.equals("args")) {
                binding.setVariable(variable, values.readOnly(variable, variables.get(name)));
            }
        }
    }

    /** Replaces each captured variable of the closure (a {@link Reference} field) by its sealed counterpart. */
    private void sealCaptured(Closure<?> closure) {
        if (!visited.add(closure)) {
            return;
        }
        for (Class<?> c = closure.getClass(); c != Closure.class && c != null; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers()) && Reference.class.isAssignableFrom(field.getType())) {
                    seal(closure, field);
                }
            }
        }
    }

    private void seal(Closure<?> closure, Field field) {
        try {
            field.setAccessible(true);
            Reference<?> shared = (Reference<?>) field.get(closure);
            if (shared == null || shared instanceof SealedReference) {
                return;
            }
            SealedReference s = sealed.get(shared);
            if (s == null) {
                s = new SealedReference(field.getName(), readOnly(field.getName(), shared.get()));
                sealed.put(shared, s);
            }
            field.set(closure, s);
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (e instanceof IllegalArgumentException refused) {
                throw refused;
            }
            throw new IllegalStateException("sealing '" + field.getName() + "' of " + closure.getClass().getName()
                    + " failed: " + e, e);
        }
    }

    /** The value as sections may share it: unchanged when it cannot change, else a read-only copy. */
    private Object readOnly(String variable, Object value) {
        if (value instanceof Closure<?> closure) {
            sealCaptured(closure);
            return closure;
        }
        if (value instanceof Range<?> || value instanceof Pattern || value instanceof Enum<?>
                || value instanceof Character || (value != null && value.getClass().getPackageName().equals("java.time"))) {
            return value;
        }
        Object data;
        try {
            data = JsonData.copy(value, variable);
        } catch (IllegalArgumentException notData) {
            throw new IllegalArgumentException("'" + variable + "' is declared outside the rules that read it, so "
                    + "every instance of the workflow would share it; only values that cannot change can be shared "
                    + "(strings, numbers, booleans, lists and maps of them, closures): " + notData.getMessage(),
                    notData);
        }
        return SharedData.view(variable, data);
    }
}
