package io.orrery.engine.internal.extender;

import io.orrery.api.engine.DryRunReport;
import io.orrery.api.tenant.BundleDeployer;
import io.orrery.api.tenant.BundleDeployment;
import io.orrery.api.tenant.BundleDryRun;
import io.orrery.api.tenant.BundleRejectedException;
import io.orrery.engine.internal.verify.SpooledJar;
import io.orrery.engine.internal.verify.TenantBundleVerifier;
import io.orrery.engine.internal.verify.VerifiedBundle;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST upload path. The upload is spooled to a temporary file and verified there (see
 * {@link TenantBundleVerifier}); the bundle's module is built from its verified script classes, so a bundle that
 * is not the tenant's, or whose workflows do not load, is refused before the running version is touched. Then it
 * is installed (or the tenant's bundle of the same symbolic name is updated in place) from the same file, verified
 * again as the framework read it, resolved (never started), and the upload waits for the extender's verdict. A
 * fresh bundle that is rejected is uninstalled; an updated one is put back to the content it had, so the previous
 * version keeps serving. Uploads of one tenant are serialized; different tenants' run side by side.
 */
final class UploadedBundleDeployer implements BundleDeployer {

    private static final Logger LOG = LoggerFactory.getLogger(UploadedBundleDeployer.class);
    /** Locations of bundles installed from uploads; only for these are the accepted bytes kept for a rollback. */
    static final String LOCATION_PREFIX = "orrery-upload:";

    private final BundleContext context;
    private final TenantBundleExtender extender;
    private final TenantBundleTracking tracking;
    private final TenantBundleVerifier verifier;
    private final ClassLoader runtime;
    private final Duration verdictTimeout;
    private final Path accepted;
    private final Map<String, ReentrantLock> tenantLocks = new ConcurrentHashMap<>();

    /**
     * @param runtime  what an uploaded jar's classes see before it is installed (Groovy, the DSL, the API)
     * @param accepted where the last accepted bytes of each uploaded bundle are kept; null keeps none
     */
    UploadedBundleDeployer(BundleContext context, TenantBundleExtender extender, TenantBundleTracking tracking,
                           TenantBundleVerifier verifier, ClassLoader runtime, Duration verdictTimeout,
                           Path accepted) {
        this.context = context;
        this.extender = extender;
        this.tracking = tracking;
        this.verifier = verifier;
        this.runtime = runtime;
        this.verdictTimeout = verdictTimeout;
        this.accepted = accepted;
    }

    @Override
    public BundleDeployment deploy(String tenant, byte[] bytes) {
        return deploy(tenant, new ByteArrayInputStream(bytes));
    }

    /** As {@link #deploy(String, byte[])}, reading the upload from a stream into a size-capped temporary file. */
    public BundleDeployment deploy(String tenant, InputStream upload) {
        try (SpooledJar jar = SpooledJar.spool(upload, verifier.limits())) {
            VerifiedBundle verified = verifier.verify(jar, tenant);
            ReentrantLock lock = tenantLocks.computeIfAbsent(tenant, t -> new ReentrantLock());
            lock.lock();
            try {
                preflight(tenant, UploadedJar.of(verified, runtime));
                String bsn = verified.symbolicName();
                Optional<Bundle> existing = find(tenant, bsn);
                BundleDeployment deployment = existing.isPresent()
                        ? replace(existing.get(), tenant, bsn, jar.file())
                        : install(tenant, bsn, jar.file());
                keep(tenant, bsn, jar.file());
                return deployment;
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public BundleDryRun dryRun(String tenant, byte[] bytes) {
        return dryRun(tenant, new ByteArrayInputStream(bytes));
    }

    /** As {@link #dryRun(String, byte[])}, reading the upload from a stream into a size-capped temporary file. */
    public BundleDryRun dryRun(String tenant, InputStream upload) {
        UploadedJar jar;
        try (SpooledJar spooled = SpooledJar.spool(upload, verifier.limits())) {
            jar = UploadedJar.of(verifier.verify(spooled, tenant), runtime);
        }
        LoadedModule loaded = extender.preflight(tenant, jar);
        try {
            List<DryRunReport> reports = extender.dryRun(loaded);
            return new BundleDryRun(jar.symbolicName(), jar.version(), reports);
        } finally {
            extender.discard(loaded);
        }
    }

    // A class the scripts need from elsewhere in the container (a library the bundle imports) cannot be found
    // before the bundle is installed: then the installed bundle decides.
    private void preflight(String tenant, UploadedJar jar) {
        try {
            extender.discard(extender.preflight(tenant, jar));
        } catch (BundleRejectedException e) {
            if (!(e.getCause() instanceof LinkageError)) {
                throw e;
            }
            LOG.debug("{}: cannot check before installing: {}", jar.describe(), e.getMessage());
        }
    }

    private BundleDeployment install(String tenant, String bsn, Path file) {
        Bundle bundle;
        try (InputStream in = Files.newInputStream(file)) {
            bundle = context.installBundle(LOCATION_PREFIX + tenant + "/" + bsn, in);
        } catch (BundleException | IOException e) {
            throw new BundleRejectedException("bundle", "cannot install the bundle: " + e.getMessage(), e);
        }
        try {
            admit(bundle);
        } catch (BundleRejectedException e) {
            uninstall(bundle);
            throw e;
        }
        DeployVerdict verdict = await(bundle, null);
        if (!verdict.accepted()) {
            uninstall(bundle);
            throw new BundleRejectedException(verdict.field(), verdict.reason());
        }
        return deployment(bundle, verdict);
    }

    private BundleDeployment replace(Bundle bundle, String tenant, String bsn, Path file) {
        DeployVerdict before = extender.verdicts().last(bundle.getBundleId()).orElse(null);
        try (InputStream in = Files.newInputStream(file)) {
            bundle.update(in);
            admit(bundle);
        } catch (BundleException | IOException | IllegalStateException e) {
            rollBack(bundle, tenant, bsn);
            throw new BundleRejectedException("bundle", "cannot update the bundle: " + e.getMessage(), e);
        } catch (BundleRejectedException e) {
            rollBack(bundle, tenant, bsn);
            throw e;
        }
        DeployVerdict verdict = await(bundle, before);
        if (!verdict.accepted()) {
            rollBack(bundle, tenant, bsn);
            throw new BundleRejectedException(verdict.field(), verdict.reason());
        }
        return deployment(bundle, verdict);
    }

    /** The installed revision as the framework holds it must have passed the gate, and must resolve. */
    private void admit(Bundle bundle) {
        Optional<BundleRejectedException> refusal = tracking.gate().verdict(bundle).orElseThrow(
                () -> new BundleRejectedException("bundle", "the installed bundle was not verified"));
        if (refusal.isPresent()) {
            throw refusal.get();
        }
        if (!tracking.resolve(bundle)) {
            throw new BundleRejectedException("Import-Package", "cannot resolve the bundle: "
                    + Unresolved.describe(context, bundle));
        }
    }

    private DeployVerdict await(Bundle bundle, DeployVerdict before) {
        try {
            return extender.verdicts().await(bundle.getBundleId(), bundle.getLastModified(), before, verdictTimeout)
                    .orElseThrow(() -> new BundleRejectedException(null, "the bundle was installed but its workflows "
                            + "were not deployed within " + verdictTimeout.toSeconds() + " s; the deploy goes on"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BundleRejectedException(null, "interrupted while the bundle was being deployed");
        }
    }

    /** Puts an updated bundle back to the content it had: the bytes last accepted, or its own location's. */
    private void rollBack(Bundle bundle, String tenant, String bsn) {
        try {
            Path previous = kept(tenant, bsn);
            if (bundle.getLocation().startsWith(LOCATION_PREFIX)) {
                if (previous == null) {
                    LOG.warn("{}: no earlier upload kept to roll back to; the workflows deployed before keep serving",
                            bundle.getSymbolicName());
                    return;
                }
                try (InputStream in = Files.newInputStream(previous)) {
                    bundle.update(in);
                }
            } else {
                bundle.update();
            }
            if (tracking.gate().verified(bundle)) {
                tracking.resolve(bundle);
            }
        } catch (BundleException | IOException | RuntimeException e) {
            LOG.error("{}: rolling back the rejected update failed ({}); the workflows deployed before keep serving",
                    bundle.getSymbolicName(), e.toString());
        }
    }

    private Optional<Bundle> find(String tenant, String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName()) && tenant.equals(trim(b.getHeaders("").get(TenantManifest.TENANT)))) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    private static BundleDeployment deployment(Bundle bundle, DeployVerdict verdict) {
        return new BundleDeployment(bundle.getBundleId(), bundle.getSymbolicName(), bundle.getVersion().toString(),
                verdict.reports());
    }

    private static void uninstall(Bundle bundle) {
        try {
            bundle.uninstall();
        } catch (BundleException | IllegalStateException e) {
            LOG.warn("cannot uninstall rejected bundle {}: {}", bundle.getBundleId(), e.toString());
        }
    }

    private void keep(String tenant, String bsn, Path upload) {
        if (accepted == null) {
            return;
        }
        try {
            Path file = file(tenant, bsn);
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.copy(upload, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("cannot keep the accepted bytes of {} for a rollback: {}", bsn, e.toString());
        }
    }

    private Path kept(String tenant, String bsn) {
        if (accepted == null) {
            return null;
        }
        Path file = file(tenant, bsn);
        return Files.isRegularFile(file) ? file : null;
    }

    private Path file(String tenant, String bsn) {
        return accepted.resolve(tenant).resolve(bsn.replaceAll("[^A-Za-z0-9._-]", "_") + ".jar");
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }
}
