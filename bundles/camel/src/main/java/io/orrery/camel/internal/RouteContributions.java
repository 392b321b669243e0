package io.orrery.camel.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.Model;
import org.apache.camel.model.rest.RestDefinition;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceObjects;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whiteboard: each {@link RoutesBuilder} service adds its routes (and REST definitions) to the context, and
 * loses them when its bundle stops. A builder can be added to a context only once, so builders are expected to be
 * published with prototype scope; each (re)start of the context takes a fresh instance. Services of tenant bundles
 * (those with an {@value #TENANT_HEADER} header) are ignored: a tenant's route would be served outside the gateway's
 * authentication and tenancy.
 */
final class RouteContributions extends ServiceTracker<RoutesBuilder, RouteContributions.Contribution> {

    private static final Logger LOG = LoggerFactory.getLogger(RouteContributions.class);
    static final String TENANT_HEADER = "Orrery-Tenant";

    private final CamelContext camel;
    private final Map<ClassLoader, Integer> lentLoaders = new HashMap<>();

    RouteContributions(BundleContext bundleContext, CamelContext camel) {
        super(bundleContext, RoutesBuilder.class, null);
        this.camel = camel;
    }

    /** What one service added, so that exactly that can be removed again. */
    record Contribution(ServiceObjects<RoutesBuilder> objects, RoutesBuilder builder, Set<String> routeIds,
                        List<RestDefinition> rests) { }

    @Override
    public Contribution addingService(ServiceReference<RoutesBuilder> reference) {
        org.osgi.framework.Bundle bundle = reference.getBundle();
        if (bundle == null || bundle.getHeaders("").get(TENANT_HEADER) != null) {
            LOG.warn("Routes of bundle {} ignored: tenant bundles may not contribute routes",
                    bundle == null ? "(gone)" : bundle.getSymbolicName());
            return null;
        }
        ServiceObjects<RoutesBuilder> objects = context.getServiceObjects(reference);
        RoutesBuilder builder = objects.getService();
        try {
            return add(objects, builder);
        } catch (Exception e) {
            LOG.error("Routes of bundle {} rejected: {}", reference.getBundle().getSymbolicName(), e.getMessage(), e);
            release(builder.getClass().getClassLoader());
            objects.ungetService(builder);
            return null;
        }
    }

    private synchronized Contribution add(ServiceObjects<RoutesBuilder> objects, RoutesBuilder builder)
            throws Exception {
        Set<String> before = routeIds();
        // Camel resolves some classes by name (data formats, exception clauses) through its own class loader,
        // which cannot see the contributing bundle's classes: let it ask that bundle too, while it contributes.
        lend(builder.getClass().getClassLoader());
        camel.addRoutes(builder);
        Set<String> added = routeIds();
        added.removeAll(before);
        List<RestDefinition> rests = builder instanceof RouteBuilder rb
                ? List.copyOf(rb.getRestCollection().getRests()) : List.of();
        LOG.info("Added routes {}", added);
        return new Contribution(objects, builder, added, rests);
    }

    @Override
    public synchronized void removedService(ServiceReference<RoutesBuilder> reference, Contribution contribution) {
        for (String id : contribution.routeIds()) {
            try {
                camel.getRouteController().stopRoute(id);
                camel.removeRoute(id);
            } catch (Exception e) {
                LOG.warn("Could not remove route {}: {}", id, e.getMessage());
            }
        }
        camel.getCamelContextExtension().getContextPlugin(Model.class).getRestDefinitions()
                .removeAll(contribution.rests());
        release(contribution.builder().getClass().getClassLoader());
        contribution.objects().ungetService(contribution.builder());
        LOG.info("Removed routes {}", contribution.routeIds());
    }

    /** A bundle may contribute several builders; its class loader stays lent while any of them is added. */
    private synchronized void lend(ClassLoader loader) {
        if (lentLoaders.merge(loader, 1, Integer::sum) == 1) {
            camel.getClassResolver().addClassLoader(loader);
        }
    }

    private synchronized void release(ClassLoader loader) {
        if (lentLoaders.merge(loader, -1, Integer::sum) <= 0) {
            lentLoaders.remove(loader);
            try {
                camel.getClassResolver().getClassLoaders().remove(loader);
            } catch (UnsupportedOperationException e) {
                // Camel 4's DefaultClassResolver hands out a read-only view and has no way to remove a loader: the
                // contributing bundle's loader stays reachable from the context until it restarts.
                LOG.warn("Camel keeps the class loader of removed routes until the context restarts");
            }
        }
    }

    private Set<String> routeIds() {
        Set<String> ids = new HashSet<>();
        for (Route route : camel.getRoutes()) {
            ids.add(route.getRouteId());
        }
        return ids;
    }
}
