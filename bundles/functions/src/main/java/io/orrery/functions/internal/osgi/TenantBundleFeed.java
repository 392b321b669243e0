package io.orrery.functions.internal.osgi;

import io.orrery.functions.internal.host.FunctionHosts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.util.tracker.BundleTracker;
import org.osgi.util.tracker.BundleTrackerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Feeds tenant bundles (those with an {@value #TENANT_HEADER} header, resolved or later) to their tenant's function
 * host: a bundle that arrives, is updated or goes makes the tenant's host restart on its current bundles, or stop
 * when none is left. The server itself never starts a tenant bundle's components; the host does. Changes are
 * applied one at a time, off the framework's event thread, and a burst of events for one tenant (an update
 * unresolves the bundle, then it resolves again) restarts its host once.
 */
final class TenantBundleFeed implements BundleTrackerCustomizer<String>, AutoCloseable {

    static final String TENANT_HEADER = "Orrery-Tenant";
    static final int STATES = Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING;

    private static final Logger LOG = LoggerFactory.getLogger(TenantBundleFeed.class);

    /** An update uninstalls nothing but unresolves and resolves again: its events come together, within this. */
    static final long SETTLE_MILLIS = 250;

    private final FunctionHosts hosts;
    private final Duration readyWait;

    private final ScheduledExecutorService changes = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "orrery-function-hosts");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, CompletableFuture<Void>> queued = new ConcurrentHashMap<>();
    // The tracker records a bundle only after addingBundle returns, possibly after the refresh it schedules ran.
    private final Map<Bundle, String> tenantBundles = new ConcurrentHashMap<>();
    private BundleTracker<String> tracker;

    /** @param readyWait how long a bundle's arrival waits for its tenant's host to serve its functions */
    TenantBundleFeed(FunctionHosts hosts, Duration readyWait) {
        this.hosts = hosts;
        this.readyWait = readyWait;
    }

    void open(BundleTracker<String> bundleTracker) {
        this.tracker = bundleTracker;
        bundleTracker.open();
    }

    @Override
    public String addingBundle(Bundle bundle, BundleEvent event) {
        String tenant = bundle.getHeaders("").get(TENANT_HEADER);
        if (tenant == null || tenant.isBlank()) {
            return null;
        }
        tenantBundles.put(bundle, tenant.trim());
        CompletableFuture<Void> served = schedule(tenant.trim());
        if (event != null) {
            awaitHost(tenant.trim(), served);
        }
        return tenant.trim();
    }

    /*
     * The tracker hears a bundle resolve on the thread that resolves it (a deploy, or bundle:install), and holds it
     * here until the tenant's host serves the bundle's functions: a workflow's first calls right after a deploy find
     * them. Not while the tracker opens (no event): the node's start does not wait for every tenant's host.
     */
    private void awaitHost(String tenant, CompletableFuture<Void> served) {
        try {
            served.get(readyWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("tenant {}: its function host was not serving within {}; going on without waiting", tenant,
                    readyWait);
        }
    }

    @Override
    public void modifiedBundle(Bundle bundle, BundleEvent event, String tenant) {
        // Started or stopped: the content the host runs is the same.
    }

    @Override
    public void removedBundle(Bundle bundle, BundleEvent event, String tenant) {
        tenantBundles.remove(bundle);
        schedule(tenant);
    }

    private CompletableFuture<Void> schedule(String tenant) {
        return queued.computeIfAbsent(tenant, t -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            changes.schedule(() -> refresh(t), SETTLE_MILLIS, TimeUnit.MILLISECONDS);
            return done;
        });
    }

    private void refresh(String tenant) {
        CompletableFuture<Void> done = queued.remove(tenant);
        try {
            feed(tenant);
        } finally {
            if (done != null) {
                done.complete(null);
            }
        }
    }

    private void feed(String tenant) {
        MDC.put("tenant", tenant);
        try {
            List<Path> jars = writeJars(tenant);
            if (jars.isEmpty()) {
                hosts.undeploy(tenant);
            } else {
                hosts.deploy(tenant, jars);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            LOG.warn("tenant {}: cannot feed its bundles to its function host: {}", tenant, e.toString());
        } finally {
            MDC.remove("tenant");
        }
    }

    private List<Path> writeJars(String tenant) throws IOException {
        Path directory = hosts.launcher().tenantDirectory(tenant).resolve("bundles");
        deleteJars(directory);
        List<Path> jars = new ArrayList<>();
        for (Map.Entry<Bundle, String> e : tenantBundles.entrySet()) {
            Bundle b = e.getKey();
            if (!tenant.equals(e.getValue()) || (b.getState() & STATES) == 0) {
                continue;
            }
            Path jar = directory.resolve(jarName(b));
            try {
                BundleJar.write(b, jar);
                jars.add(jar);
            } catch (IllegalStateException gone) {
                Files.deleteIfExists(jar); // uninstalled meanwhile: its removal is queued
            }
        }
        return jars;
    }

    /**
     * A file name for the bundle's jar that its manifest cannot turn into a path: the directory is bound into the
     * tenant's sandbox, so a name holding {@code ../} would have written, and bound, a directory of the server's.
     */
    static String jarName(Bundle b) {
        String name = b.getSymbolicName() + "-" + b.getVersion();
        return name.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + b.getBundleId() + ".jar";
    }

    private static void deleteJars(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (var files = Files.list(directory)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public void close() {
        if (tracker != null) {
            tracker.close();
        }
        changes.shutdownNow();
        queued.values().forEach(f -> f.complete(null));
    }
}
