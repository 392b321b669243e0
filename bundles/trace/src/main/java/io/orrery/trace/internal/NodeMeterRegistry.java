package io.orrery.trace.internal;

import io.micrometer.core.instrument.MeterRegistry;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Publishes the node's registry as a {@link MeterRegistry} service, by hand since DS cannot publish a
 * collaborator's object. Kept apart from {@link NodeMetrics} because the registration activates, on this thread,
 * every component waiting for a registry: those that also need the node's exposition (the gateway's metrics
 * route) would otherwise ask for {@link NodeMetrics} while it is still activating, which SCR refuses as a
 * circular reference, leaving {@code /api/v1/metrics} unrouted. Here NodeMetrics is active before anyone hears of
 * the registry.
 */
@Component(immediate = true, service = {})
public class NodeMeterRegistry {

    private final ServiceRegistration<MeterRegistry> registration;

    @Activate
    public NodeMeterRegistry(@Reference NodeMetrics metrics, BundleContext context) {
        registration = context.registerService(MeterRegistry.class, metrics.registry(), null);
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
    }
}
