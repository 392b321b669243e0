package io.orrery.functions.internal.worker;

import io.orrery.api.function.OrreryFunction;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The Java functions published as {@link OrreryFunction} OSGi services, by tenant and name. A function registered
 * by a tenant bundle (one with an {@code Orrery-Tenant} header) serves that tenant only, and a service property
 * {@value #TENANT} naming another tenant is refused; a function from a platform bundle serves the tenant its
 * property names, or every tenant without one. A tenant's own function of a name comes before a shared one; when
 * several services share a tenant and name, the one bound last answers.
 */
public final class FunctionDirectory {

    public static final String TENANT = FunctionTenancy.PROPERTY;
    private static final String SHARED = FunctionTenancy.SHARED;

    private final Map<String, List<OrreryFunction>> byKey = new ConcurrentHashMap<>();

    /** @return false when the function claims a tenant other than its bundle's, and was not added */
    public boolean add(OrreryFunction f, Map<String, ?> properties, String bundleTenant) {
        Optional<String> tenant = FunctionTenancy.tenantOf(properties, bundleTenant);
        tenant.ifPresent(t -> byKey.computeIfAbsent(key(t, f.name()), k -> new CopyOnWriteArrayList<>()).add(f));
        return tenant.isPresent();
    }

    public void add(OrreryFunction f, Map<String, ?> properties) {
        add(f, properties, null);
    }

    public void remove(OrreryFunction f, Map<String, ?> properties, String bundleTenant) {
        FunctionTenancy.tenantOf(properties, bundleTenant).map(t -> byKey.get(key(t, f.name())))
                .ifPresent(list -> list.remove(f));
    }

    public void remove(OrreryFunction f, Map<String, ?> properties) {
        remove(f, properties, null);
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

    private static String key(String tenant, String name) {
        return tenant + '\0' + name;
    }
}
