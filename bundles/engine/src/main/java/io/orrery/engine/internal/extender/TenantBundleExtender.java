package io.orrery.engine.internal.extender;

import io.orrery.api.engine.DeployReport;
import io.orrery.api.engine.DryRunReport;
import io.orrery.api.engine.WorkflowEngine;
import io.orrery.api.engine.WorkflowModule;
import io.orrery.api.engine.WorkflowSummary;
import io.orrery.api.function.OrreryFunction;
import io.orrery.api.tenant.BundleRejectedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The tenant bundle extender's core, without OSGi: deploys the workflows of a tenant bundle that started into its
 * own tenant (the one its manifest names), and undeploys them when it goes.
 *
 * <ul>
 *   <li>A newer revision (an updated bundle, or another bundle with newer versions of the same workflows) takes
 *       over without a restart; the engine re-evaluates the existing instances under the new rules.</li>
 *   <li>A revision that cannot be deployed is rejected with the reason, and whatever was deployed before keeps
 *       serving: a workflow may not go back to an older version, and nothing is undeployed on a rejection.</li>
 *   <li>A bundle that stops keeps serving for a grace period, because an update stops and restarts it: only a
 *       bundle that stays stopped, or is uninstalled, is undeployed. Then Groovy's caches let go of its classes.</li>
 * </ul>
 * Calls for one tenant are serialized; different tenants deploy side by side.
 */
public final class TenantBundleExtender implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TenantBundleExtender.class);

    private final WorkflowEngine engine;
    private final BundleModuleLoader loader;
    private final Clock clock;
    private final Duration stopGrace;
    private final DeployVerdicts verdicts = new DeployVerdicts();
    private final WorkflowOwners owners = new WorkflowOwners();
    private final Map<Long, Deployed> deployed = new ConcurrentHashMap<>();
    private final Map<Long, Instant> stopped = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> tenantLocks = new ConcurrentHashMap<>();

    /** @param stopGrace how long a stopped bundle's workflows keep serving in case it starts again (an update) */
    public TenantBundleExtender(WorkflowEngine engine, BundleModuleLoader loader, Clock clock, Duration stopGrace) {
        this.engine = engine;
        this.loader = loader;
        this.clock = clock;
        this.stopGrace = stopGrace;
    }

    /** One deployed revision of a tenant bundle. */
    private record Deployed(TenantBundle bundle, String tenant, ClassLoader loader) {
    }

    public DeployVerdicts verdicts() {
        return verdicts;
    }

    /** A bundle started: deploys it if it is a tenant bundle. Answers the verdict, or null for other bundles. */
    public DeployVerdict started(TenantBundle bundle) {
        TenantManifest manifest;
        try {
            Optional<TenantManifest> m = TenantManifest.of(bundle);
            if (m.isEmpty()) {
                return null;
            }
            manifest = m.get();
        } catch (BundleRejectedException e) {
            String tenant = String.valueOf(bundle.header(TenantManifest.TENANT)).trim();
            return locked(tenant, () -> reject(bundle, tenant, e, null));
        }
        return locked(manifest.tenant(), () -> {
            stopped.remove(bundle.id());
            String previousMdc = MDC.get("tenant");
            MDC.put("tenant", manifest.tenant());
            try {
                return deploy(bundle, manifest);
            } finally {
                restoreMdc(previousMdc);
            }
        });
    }

    /**
     * A revision was refused before it could load anything (see {@link TenantBundleGate}): records why, and keeps
     * the bundle's previous revision serving, as for any rejected revision.
     */
    public DeployVerdict refused(TenantBundle bundle, String tenant, BundleRejectedException reason) {
        return locked(tenant, () -> {
            Deployed previous = deployed.get(bundle.id());
            if (previous != null) {
                stopped.remove(bundle.id());
            }
            return reject(bundle, tenant, reason, previous);
        });
    }

    private DeployVerdict deploy(TenantBundle bundle, TenantManifest manifest) {
        String tenant = manifest.tenant();
        Deployed previous = deployed.get(bundle.id());
        LoadedModule loaded;
        try {
            loaded = loader.load(bundle, manifest);
        } catch (BundleRejectedException e) {
            releaseUnlessServing(loaderOrNull(bundle), previous);
            return reject(bundle, tenant, e, previous);
        }
        List<DeployReport> reports;
        try {
            requireNotOlder(tenant, loaded.module());
            reports = engine.deploy(tenant, loaded.module());
        } catch (BundleRejectedException e) {
            releaseUnlessServing(loaded.loader(), previous);
            return reject(bundle, tenant, e, previous);
        } catch (RuntimeException e) {
            releaseUnlessServing(loaded.loader(), previous);
            return reject(bundle, tenant, new BundleRejectedException("workflows", "the engine refused the workflows "
                    + "of " + bundle.describe() + ": " + BundleModuleLoader.reason(e), e), previous);
        }
        WorkflowOwners.Claimed dropped = owners.claim(bundle.id(), tenant, loaded.workflowNames(),
                loaded.functionNames());
        retire(tenant, dropped, bundle.describe() + " no longer defines it");
        deployed.put(bundle.id(), new Deployed(bundle, tenant, loaded.loader()));
        if (previous != null && previous.loader() != loaded.loader()) {
            GroovyClassRelease.release(previous.loader());
        }
        var verdict = DeployVerdict.accepted(bundle, tenant, reports, clock.instant());
        verdicts.record(verdict);
        LOG.info("tenant bundle {} deployed: {}", bundle.describe(), summary(reports));
        return verdict;
    }

    /** A bundle stopped: its workflows go now if it is uninstalled, else once the grace period has passed. */
    public void stopped(TenantBundle bundle) {
        Deployed d = deployed.get(bundle.id());
        if (d == null) {
            return;
        }
        locked(d.tenant(), () -> {
            if (!deployed.containsKey(bundle.id())) {
                return null;
            }
            if (bundle.uninstalled() || stopGrace.isZero()) {
                undeploy(bundle.id(), "uninstalled");
            } else {
                stopped.put(bundle.id(), clock.instant());
            }
            return null;
        });
    }

    /** A bundle was uninstalled: if it stopped and is waiting out its grace period, its workflows go now. */
    public void uninstalled(long bundleId) {
        Deployed d = deployed.get(bundleId);
        if (d != null) {
            locked(d.tenant(), () -> {
                if (stopped.containsKey(bundleId)) {
                    undeploy(bundleId, "uninstalled");
                }
                return null;
            });
        }
    }

    /** Undeploys the bundles that stopped at least the grace period ago and did not start again. */
    public void expireStopped() {
        Instant now = clock.instant();
        List<Long> due = new ArrayList<>();
        stopped.forEach((id, at) -> {
            if (!at.plus(stopGrace).isAfter(now)) {
                due.add(id);
            }
        });
        for (Long id : due) {
            Deployed d = deployed.get(id);
            if (d != null) {
                locked(d.tenant(), () -> {
                    Instant at = stopped.get(id);
                    if (at != null && !at.plus(stopGrace).isAfter(clock.instant())) {
                        undeploy(id, "stopped");
                    }
                    return null;
                });
            } else {
                stopped.remove(id);
            }
        }
    }

    public Duration stopGrace() {
        return stopGrace;
    }

    /**
     * Builds an uploaded bundle's module without installing it, for the uploader's early refusal and for the dry
     * run; the caller releases it with {@link #discard}. Throws {@link BundleRejectedException} when the bundle is
     * not the tenant's, or its workflows cannot be built or would go back to an older version.
     */
    public LoadedModule preflight(String tenant, TenantBundle jar) {
        TenantManifest manifest = TenantManifest.of(jar).orElseThrow(() -> new BundleRejectedException(
                TenantManifest.TENANT, "not a tenant bundle: the manifest has no " + TenantManifest.TENANT + " header"));
        if (!manifest.tenant().equals(tenant)) {
            throw new BundleRejectedException(TenantManifest.TENANT, TenantManifest.TENANT + " is '"
                    + manifest.tenant() + "': a bundle deploys only into the tenant its manifest names");
        }
        LoadedModule loaded = loader.load(jar, manifest);
        try {
            requireNotOlder(tenant, loaded.module());
        } catch (BundleRejectedException e) {
            discard(loaded);
            throw e;
        }
        return loaded;
    }

    /** What deploying the module would fire, without deploying it. */
    public List<DryRunReport> dryRun(LoadedModule loaded) {
        return engine.dryRun(loaded.tenant(), loaded.module());
    }

    public void discard(LoadedModule loaded) {
        GroovyClassRelease.release(loaded.loader());
    }

    /** Workflow names the bundle's current revision serves. */
    public List<String> workflowsOf(long bundleId) {
        Deployed d = deployed.get(bundleId);
        return d == null ? List.of() : owners.workflowsOf(bundleId, d.tenant());
    }

    /** Undeploys everything, for shutdown. */
    @Override
    public void close() {
        for (Long id : new ArrayList<>(deployed.keySet())) {
            Deployed d = deployed.get(id);
            if (d == null) {
                continue;
            }
            try {
                locked(d.tenant(), () -> {
                    undeploy(id, "the extender stopped");
                    return null;
                });
            } catch (RuntimeException e) {
                LOG.debug("undeploying bundle {} at shutdown: {}", id, e.toString());
            }
        }
    }

    private <T> T locked(String tenant, Supplier<T> work) {
        ReentrantLock lock = tenantLocks.computeIfAbsent(tenant, t -> new ReentrantLock());
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    private void undeploy(long bundleId, String why) {
        stopped.remove(bundleId);
        Deployed d = deployed.remove(bundleId);
        verdicts.forget(bundleId);
        if (d == null) {
            return;
        }
        String previousMdc = MDC.get("tenant");
        MDC.put("tenant", d.tenant());
        try {
            WorkflowOwners.Claimed owned = owners.release(bundleId, d.tenant());
            try {
                if (!owned.workflows().isEmpty()) {
                    engine.undeploy(d.tenant(), owned.workflows());
                }
                retire(d.tenant(), new WorkflowOwners.Claimed(List.of(), owned.functions()),
                        d.bundle().describe() + " was " + why);
            } finally {
                int released = GroovyClassRelease.release(d.loader());
                LOG.info("tenant bundle {} {}: undeployed workflows {} and functions {}; released {} classes",
                        d.bundle().describe(), why, owned.workflows(), owned.functions(), released);
            }
        } finally {
            restoreMdc(previousMdc);
        }
    }

    // The engine's API cannot remove a function yet; see RetiredFunction.
    private void retire(String tenant, WorkflowOwners.Claimed dropped, String reason) {
        if (!dropped.workflows().isEmpty()) {
            engine.undeploy(tenant, dropped.workflows());
        }
        if (!dropped.functions().isEmpty()) {
            List<OrreryFunction> retired = dropped.functions().stream()
                    .map(n -> (OrreryFunction) new RetiredFunction(n, reason)).toList();
            engine.deploy(tenant, new WorkflowModule(List.of(), retired));
        }
    }

    private void requireNotOlder(String tenant, WorkflowModule module) {
        Map<String, Integer> current = new HashMap<>();
        for (WorkflowSummary s : engine.workflows(tenant)) {
            current.put(s.name(), s.version());
        }
        module.workflows().forEach(w -> {
            Integer deployedVersion = current.get(w.name());
            if (deployedVersion != null && deployedVersion > w.version()) {
                throw new BundleRejectedException("workflow " + w.name(), "workflow " + w.name() + ": version "
                        + w.version() + " is older than the deployed version " + deployedVersion);
            }
        });
    }

    private DeployVerdict reject(TenantBundle bundle, String tenant, BundleRejectedException e, Deployed previous) {
        var verdict = DeployVerdict.rejected(bundle, tenant, e.field(), e.getMessage(), clock.instant());
        verdicts.record(verdict);
        String still = previous == null ? "" : "; its previous revision keeps serving";
        LOG.warn("tenant bundle {} rejected: {}{}", bundle.describe(), e.getMessage(), still);
        LOG.debug("rejection of {}", bundle.describe(), e);
        return verdict;
    }

    private static void releaseUnlessServing(ClassLoader loader, Deployed previous) {
        if (loader != null && (previous == null || previous.loader() != loader)) {
            GroovyClassRelease.release(loader);
        }
    }

    private static ClassLoader loaderOrNull(TenantBundle bundle) {
        try {
            return bundle.classLoader();
        } catch (IllegalStateException e) {
            return null;
        }
    }

    private static String summary(List<DeployReport> reports) {
        if (reports.isEmpty()) {
            return "no workflows";
        }
        List<String> parts = new ArrayList<>();
        for (DeployReport r : reports) {
            parts.add(r.workflow() + " version " + r.version() + " (was " + r.previousVersion() + "; "
                    + r.reevaluated() + " instances re-evaluated, fired " + r.fired() + ")");
        }
        return String.join(", ", parts);
    }

    private static void restoreMdc(String previous) {
        if (previous == null) {
            MDC.remove("tenant");
        } else {
            MDC.put("tenant", previous);
        }
    }
}
