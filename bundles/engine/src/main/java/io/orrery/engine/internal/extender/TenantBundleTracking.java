package io.orrery.engine.internal.extender;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.util.tracker.BundleTracker;
import org.osgi.util.tracker.BundleTrackerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the extender from the framework: every bundle that becomes ACTIVE and carries {@code Orrery-Tenant},
 * however it was installed (REST upload, {@code deploy/}, {@code bundle:install}), and every such bundle that
 * stops. The framework calls back on whatever thread changed the bundle's state, holding its locks, so the work
 * (loading classes, re-evaluating instances) runs on the extender's own thread, in order.
 */
final class TenantBundleTracking implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TenantBundleTracking.class);

    private final TenantBundleExtender extender;
    private final ScheduledExecutorService thread;
    private final BundleTracker<OsgiTenantBundle> tracker;
    private final BundleContext context;
    // The tracker sees a bundle leave ACTIVE before the framework says whether it is being uninstalled.
    private final SynchronousBundleListener uninstalls;

    TenantBundleTracking(BundleContext context, TenantBundleExtender extender) {
        this.extender = extender;
        this.context = context;
        this.uninstalls = event -> {
            if (event.getType() == BundleEvent.UNINSTALLED) {
                long id = event.getBundle().getBundleId();
                run(() -> extender.uninstalled(id));
            }
        };
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "orrery-tenant-bundles");
            t.setDaemon(true);
            return t;
        });
        this.tracker = new BundleTracker<>(context, Bundle.ACTIVE, new Customizer());
    }

    TenantBundleTracking open() {
        context.addBundleListener(uninstalls);
        tracker.open();
        return this;
    }

    private final class Customizer implements BundleTrackerCustomizer<OsgiTenantBundle> {

        @Override
        public OsgiTenantBundle addingBundle(Bundle bundle, BundleEvent event) {
            if (bundle.getHeaders("").get(TenantManifest.TENANT) == null) {
                return null;
            }
            var tenantBundle = new OsgiTenantBundle(bundle);
            run(() -> extender.started(tenantBundle));
            return tenantBundle;
        }

        @Override
        public void modifiedBundle(Bundle bundle, BundleEvent event, OsgiTenantBundle tenantBundle) {
            // Still ACTIVE: nothing changed for the extender.
        }

        @Override
        public void removedBundle(Bundle bundle, BundleEvent event, OsgiTenantBundle tenantBundle) {
            run(() -> extender.stopped(tenantBundle));
            Duration grace = extender.stopGrace();
            if (!grace.isZero()) {
                thread.schedule(() -> run(extender::expireStopped), grace.toMillis() + 50, TimeUnit.MILLISECONDS);
            }
        }
    }

    private void run(Runnable work) {
        try {
            thread.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException | LinkageError e) {
                    LOG.error("tenant bundle extender", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("tenant bundle event after the extender stopped");
        }
    }

    /** Stops tracking and undeploys every tenant bundle's workflows. */
    @Override
    public void close() {
        tracker.close();
        try {
            context.removeBundleListener(uninstalls);
        } catch (IllegalStateException e) {
            LOG.debug("framework already stopping");
        }
        Future<?> last = thread.submit(extender::close);
        try {
            last.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("tenant bundle extender did not stop cleanly: {}", e.toString());
        } finally {
            thread.shutdownNow();
        }
    }
}
