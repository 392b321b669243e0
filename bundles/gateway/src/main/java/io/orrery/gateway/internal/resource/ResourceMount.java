package io.orrery.gateway.internal.resource;

import io.orrery.api.rest.RestResource;
import io.orrery.gateway.internal.ApiServices;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.RoutesBuilder;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.PrototypeServiceFactory;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Mounts every {@link RestResource} service: for each one it registers a prototype-scoped {@link RoutesBuilder},
 * which the Camel runtime's whiteboard adds (and removes again when the resource goes away).
 */
@Component(service = {})
public class ResourceMount {

    private final ApiServices services;
    private final BundleContext context;
    private final Map<RestResource, ServiceRegistration<?>> mounted = new ConcurrentHashMap<>();
    private volatile boolean active = true;

    @Activate
    public ResourceMount(@Reference ApiServices services, BundleContext context) {
        this.services = services;
        this.context = context;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindResource(RestResource resource) {
        if (!active) {
            return;
        }
        mounted.put(resource, context.registerService(RoutesBuilder.class.getName(),
                new PrototypeServiceFactory<RoutesBuilder>() {
                    @Override
                    public RoutesBuilder getService(Bundle bundle, ServiceRegistration<RoutesBuilder> registration) {
                        return new ResourceRouteBuilder(services, resource);
                    }

                    @Override
                    public void ungetService(Bundle bundle, ServiceRegistration<RoutesBuilder> registration,
                                             RoutesBuilder service) {
                    }
                }, null));
    }

    void unbindResource(RestResource resource) {
        ServiceRegistration<?> registration = mounted.remove(resource);
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the gateway bundle is stopping and the framework unregistered it first
            }
        }
    }

    @Deactivate
    void deactivate() {
        active = false;
        mounted.keySet().forEach(this::unbindResource);
    }
}
