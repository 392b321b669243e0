package io.orrery.functions.internal.osgi;

import io.orrery.api.function.OrreryFunction;
import io.orrery.functions.internal.host.FunctionHosts;
import io.orrery.functions.internal.host.HostedFunction;
import io.orrery.functions.internal.host.TenantHost;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Publishes each function a tenant's host serves as an {@link OrreryFunction} service with the property
 * {@value #TENANT}: this is a platform bundle, so the engine lets such a service serve that tenant only.
 */
final class FunctionServices implements FunctionHosts.Listener {

    static final String TENANT = "orrery.tenant";
    static final String HOSTED = "orrery.function.host";

    private final BundleContext context;
    private final Map<String, Map<String, Published>> byTenant = new HashMap<>();

    FunctionServices(BundleContext context) {
        this.context = context;
    }

    /** A published function and the host object it calls. */
    private record Published(TenantHost host, ServiceRegistration<OrreryFunction> registration) {
    }

    // A function served again by the same host keeps its service, so a redeploy leaves no gap for the engine.
    @Override
    public synchronized void served(String tenant, TenantHost host, List<String> functions) {
        Map<String, Published> published = byTenant.computeIfAbsent(tenant, t -> new HashMap<>());
        published.entrySet().removeIf(e -> {
            boolean stale = !functions.contains(e.getKey()) || e.getValue().host() != host;
            if (stale) {
                unregister(e.getValue().registration());
            }
            return stale;
        });
        for (String name : functions) {
            published.computeIfAbsent(name, n -> new Published(host, register(tenant, n, host)));
        }
    }

    private ServiceRegistration<OrreryFunction> register(String tenant, String name, TenantHost host) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(TENANT, tenant);
        properties.put(HOSTED, true);
        properties.put("orrery.function", name);
        return context.registerService(OrreryFunction.class, new HostedFunction(name, host), properties);
    }

    @Override
    public synchronized void withdrawn(String tenant) {
        Map<String, Published> gone = byTenant.remove(tenant);
        if (gone != null) {
            gone.values().forEach(p -> unregister(p.registration()));
        }
    }

    private static void unregister(ServiceRegistration<?> r) {
        try {
            r.unregister();
        } catch (IllegalStateException e) {
            // already gone with the bundle
        }
    }
}
