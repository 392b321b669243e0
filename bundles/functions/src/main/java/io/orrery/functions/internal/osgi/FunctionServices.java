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
    private final Map<String, Map<String, ServiceRegistration<OrreryFunction>>> byTenant = new HashMap<>();

    FunctionServices(BundleContext context) {
        this.context = context;
    }

    @Override
    public synchronized void served(String tenant, TenantHost host, List<String> functions) {
        withdrawn(tenant);
        Map<String, ServiceRegistration<OrreryFunction>> registrations = new HashMap<>();
        for (String name : functions) {
            Hashtable<String, Object> properties = new Hashtable<>();
            properties.put(TENANT, tenant);
            properties.put(HOSTED, true);
            properties.put("orrery.function", name);
            registrations.put(name, context.registerService(OrreryFunction.class, new HostedFunction(name, host),
                    properties));
        }
        byTenant.put(tenant, registrations);
    }

    @Override
    public synchronized void withdrawn(String tenant) {
        Map<String, ServiceRegistration<OrreryFunction>> gone = byTenant.remove(tenant);
        if (gone != null) {
            gone.values().forEach(FunctionServices::unregister);
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
