package io.orrery.emirax.dsl;

import groovy.lang.Closure;
import io.orrery.api.function.OrreryFunction;
import java.util.Map;
import java.util.function.Supplier;

/** A function written in Emirax: {@code function('media.size') { args -> [bytes: ...] }}. */
public final class EmiraxFunction implements OrreryFunction {

    private final String name;
    private final Supplier<Closure<?>> source;
    private volatile Closure<?> body;

    public EmiraxFunction(String name, Closure<?> body) {
        this(name, () -> body);
    }

    /** A function whose body is found when it first runs (in a function host, from the script's function class). */
    public EmiraxFunction(String name, Supplier<Closure<?>> body) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("function: needs a name");
        }
        this.name = name;
        this.source = body;
    }

    private Closure<?> body() {
        Closure<?> b = body;
        if (b == null) {
            b = source.get();
            body = b;
        }
        return b;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> apply(Map<String, Object> args) {
        Object result = ((Closure<?>) body().clone()).call(args);
        if (result == null) {
            return Map.of();
        }
        if (!(result instanceof Map<?, ?> map)) {
            throw new IllegalStateException("function " + name + " must answer a map, answered "
                    + result.getClass().getSimpleName());
        }
        return (Map<String, Object>) map;
    }
}
