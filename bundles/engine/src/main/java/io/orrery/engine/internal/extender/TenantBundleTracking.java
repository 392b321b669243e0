package io.orrery.engine.internal.extender;

import io.orrery.api.tenant.BundleRejectedException;
import io.orrery.engine.internal.verify.TenantBundleVerifier;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.util.tracker.BundleTracker;
import org.osgi.util.tracker.BundleTrackerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the extender from the framework. Every tenant bundle (one with {@code Orrery-Tenant}), however it was
 * installed (REST upload, {@code deploy/}, {@code bundle:install}), passes the {@link TenantBundleGate} first;
 * once verified it is resolved, and the extender deploys it when it is RESOLVED. Tenant bundles are never started:
 * their workflows follow resolution, and a bundle started anyway has nothing that runs (the verification refuses
 * activators and every extender's header). The framework calls back on whatever thread changed a bundle, holding
 * its locks, so the work runs in the tenant's own lane: one tenant's slow deploy does not hold up another's.
 */
final class TenantBundleTracking implements AutoCloseable, TenantBundleGate.Outcomes {

    private static final Logger LOG = LoggerFactory.getLogger(TenantBundleTracking.class);
    private static final int DEPLOYABLE = Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING;

    private final TenantBundleExtender extender;
    private final TenantLanes lanes = new TenantLanes();
    private final ScheduledExecutorService timer;
    private final BundleTracker<OsgiTenantBundle> tracker;
    private final BundleContext context;
    private final TenantBundleGate gate;
    // The tracker sees a bundle leave RESOLVED before the framework says whether it is being uninstalled.
    private final SynchronousBundleListener uninstalls;

    TenantBundleTracking(BundleContext context, TenantBundleExtender extender, TenantBundleVerifier verifier) {
        this.extender = extender;
        this.context = context;
        this.gate = new TenantBundleGate(context, verifier, this);
        this.uninstalls = event -> {
            if (event.getType() == BundleEvent.UNINSTALLED && TenantBundleGate.isTenantBundle(event.getBundle())) {
                long id = event.getBundle().getBundleId();
                lanes.execute(tenantOf(event.getBundle()), () -> extender.uninstalled(id));
            }
        };
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "orrery-tenant-bundles-grace");
            t.setDaemon(true);
            return t;
        });
        this.tracker = new BundleTracker<>(context, DEPLOYABLE, new Customizer());
    }

    TenantBundleTracking open() {
        context.addBundleListener(uninstalls);
        gate.open();
        tracker.open();
        return this;
    }

    TenantBundleGate gate() {
        return gate;
    }

    /** Resolves a verified bundle; true when it is resolved. */
    boolean resolve(Bundle bundle) {
        return context.getBundle(0).adapt(FrameworkWiring.class).resolveBundles(List.of(bundle));
    }

    @Override
    public void verified(Bundle bundle) {
        // Installed by an administrator (bundle:install without -s): nothing else would resolve it.
        lanes.execute(tenantOf(bundle), () -> {
            if (bundle.getState() == Bundle.INSTALLED && gate.verified(bundle)) {
                resolve(bundle);
            }
        });
    }

    @Override
    public void refused(Bundle bundle, BundleRejectedException reason, boolean updated) {
        String tenant = tenantOf(bundle);
        var refused = new OsgiTenantBundle(bundle);
        lanes.execute(tenant, () -> {
            extender.refused(refused, tenant, reason);
            // A bundle that was never accepted goes; an uploader cleans up its own (it rolls an update back). A
            // fragment stays, unresolved: uninstalling a framework extension would restart the framework.
            if (!updated && TenantBundleGate.uploader(bundle.getLocation()) == null
                    && bundle.getHeaders("").get("Fragment-Host") == null) {
                uninstall(bundle);
            }
        });
    }

    private final class Customizer implements BundleTrackerCustomizer<OsgiTenantBundle> {

        @Override
        public OsgiTenantBundle addingBundle(Bundle bundle, BundleEvent event) {
            if (!TenantBundleGate.isTenantBundle(bundle)) {
                return null;
            }
            if (!gate.verified(bundle)) {
                LOG.warn("tenant bundle {} [{}] was resolved without being verified; it is not deployed",
                        bundle.getSymbolicName(), bundle.getBundleId());
                return null;
            }
            var tenantBundle = new OsgiTenantBundle(bundle);
            lanes.execute(tenantOf(bundle), () -> extender.started(tenantBundle));
            return tenantBundle;
        }

        @Override
        public void modifiedBundle(Bundle bundle, BundleEvent event, OsgiTenantBundle tenantBundle) {
            // Still resolved (started or stopped): nothing changed for the extender.
        }

        @Override
        public void removedBundle(Bundle bundle, BundleEvent event, OsgiTenantBundle tenantBundle) {
            String tenant = tenantOf(bundle);
            lanes.execute(tenant, () -> {
                extender.stopped(tenantBundle);
                // A refresh unresolves a bundle and resolves again only the ones that were active.
                if (bundle.getState() == Bundle.INSTALLED && gate.verified(bundle)) {
                    resolve(bundle);
                }
            });
            Duration grace = extender.stopGrace();
            if (!grace.isZero()) {
                timer.schedule(() -> lanes.execute(tenant, extender::expireStopped), grace.toMillis() + 50,
                        TimeUnit.MILLISECONDS);
            }
        }
    }

    static String tenantOf(Bundle bundle) {
        String header = bundle.getHeaders("").get(TenantBundleVerifier.TENANT);
        return header != null ? header.trim() : String.valueOf(TenantBundleGate.uploader(bundle.getLocation()));
    }

    private static void uninstall(Bundle bundle) {
        try {
            bundle.uninstall();
        } catch (BundleException | IllegalStateException e) {
            LOG.warn("cannot uninstall refused bundle {}: {}", bundle.getBundleId(), e.toString());
        }
    }

    /** Stops tracking and undeploys every tenant bundle's workflows. */
    @Override
    public void close() {
        tracker.close();
        gate.close();
        try {
            context.removeBundleListener(uninstalls);
        } catch (IllegalStateException e) {
            LOG.debug("framework already stopping");
        }
        timer.shutdownNow();
        lanes.close();
        extender.close();
    }
}
