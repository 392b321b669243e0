package io.orrery.gateway.internal;

import io.orrery.api.function.ErrorClass;
import io.orrery.api.function.FunctionCatalog;
import io.orrery.api.function.FunctionInfo;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Functions as the functions subsystem would list them: a tenant sees its own and the platform's. */
public final class FakeFunctionCatalog implements FunctionCatalog {

    private final List<FunctionInfo> functions = new CopyOnWriteArrayList<>();

    /** Adds a function; {@code tenant} null for a platform one. */
    public FakeFunctionCatalog add(String tenant, String name, String pool, long invocations, ErrorClass failed,
                                   long failures) {
        Map<ErrorClass, Long> byClass = new EnumMap<>(ErrorClass.class);
        for (ErrorClass c : ErrorClass.values()) {
            byClass.put(c, c == failed ? failures : 0L);
        }
        functions.add(new FunctionInfo(name, tenant, tenant != null, pool, invocations, byClass));
        return this;
    }

    @Override
    public List<FunctionInfo> functions() {
        return List.copyOf(functions);
    }

    @Override
    public List<FunctionInfo> functions(String tenant) {
        return functions.stream().filter(f -> f.tenant() == null || f.tenant().equals(tenant)).toList();
    }
}
