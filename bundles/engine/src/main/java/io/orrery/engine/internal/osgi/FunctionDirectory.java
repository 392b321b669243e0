package io.orrery.engine.internal.osgi;

import io.orrery.api.function.OrreryFunction;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The Java functions published as {@link OrreryFunction} OSGi services, by tenant (service property
 * {@value #TENANT}) and name. A service without the property serves every tenant; a tenant's own function of the
 * same name comes first. When several services share a tenant and name, the one bound last answers.
 */
public final class FunctionDirectory {

    public static final String TENANT = "orrery.tenant";
    private static final String SHARED = "";

    private final Map<String, List<OrreryFunction>> byKey = new ConcurrentHashMap<>();

    public void add(OrreryFunction f, Map<String, ?> properties) {
        byKey.computeIfAbsent(key(tenantOf(properties), f.name()), k -> new CopyOnWriteArrayList<>()).add(f);
    }

    public void remove(OrreryFunction f, Map<String, ?> properties) {
        List<OrreryFunction> list = byKey.get(key(tenantOf(properties), f.name()));
        if (list != null) {
            list.remove(f);
        }
    }

    public Optional<OrreryFunction> find(String tenant, String name) {
        return last(byKey.get(key(tenant, name))).or(() -> last(byKey.get(key(SHARED, name))));
    }

    private static Optional<OrreryFunction> last(List<OrreryFunction> list) {
        if (list == null || list.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(list.get(list.size() - 1));
        } catch (IndexOutOfBoundsException e) {
            return Optional.empty(); // unbound meanwhile
        }
    }

    private static String tenantOf(Map<String, ?> properties) {
        Object t = properties == null ? null : properties.get(TENANT);
        return t == null ? SHARED : t.toString();
    }

    private static String key(String tenant, String name) {
        return tenant + '\0' + name;
    }
}
