package io.orrery.engine.internal.extender;

import io.orrery.api.engine.DryRunReport;
import io.orrery.api.tenant.BundleDeployer;
import io.orrery.api.tenant.BundleDeployment;
import io.orrery.api.tenant.BundleDryRun;
import io.orrery.api.tenant.BundleRejectedException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST upload path. The bundle's module is built from the uploaded bytes first, so a bundle that is not the
 * tenant's, or whose workflows do not load, is refused before the running version is touched. Then it is
 * installed (or the tenant's bundle of the same symbolic name is updated in place) and started, and the upload
 * waits for the extender's verdict. A fresh bundle that is rejected is uninstalled; an updated one is put back to
 * the content it had, so the previous version keeps serving.
 */
final class UploadedBundleDeployer implements BundleDeployer {

    private static final Logger LOG = LoggerFactory.getLogger(UploadedBundleDeployer.class);
    /** Locations of bundles installed from uploads; only for these are the accepted bytes kept for a rollback. */
    static final String LOCATION_PREFIX = "orrery-upload:";

    private final BundleContext context;
    private final TenantBundleExtender extender;
    private final ClassLoader runtime;
    private final Duration verdictTimeout;
    private final Path accepted;

    /**
     * @param runtime  what an uploaded jar's classes see before it is installed (Groovy, the DSL, the API)
     * @param accepted where the last accepted bytes of each uploaded bundle are kept; null keeps none
     */
    UploadedBundleDeployer(BundleContext context, TenantBundleExtender extender, ClassLoader runtime,
                           Duration verdictTimeout, Path accepted) {
        this.context = context;
        this.extender = extender;
        this.runtime = runtime;
        this.verdictTimeout = verdictTimeout;
        this.accepted = accepted;
    }

    @Override
    public synchronized BundleDeployment deploy(String tenant, byte[] bytes) {
        UploadedJar jar = UploadedJar.read(bytes, runtime);
        preflight(tenant, jar);
        String bsn = jar.symbolicName();
        Optional<Bundle> existing = find(tenant, bsn);
        BundleDeployment deployment = existing.isPresent()
                ? replace(existing.get(), tenant, bsn, bytes)
                : install(tenant, bsn, bytes);
        keep(tenant, bsn, bytes);
        return deployment;
    }

    @Override
    public BundleDryRun dryRun(String tenant, byte[] bytes) {
        UploadedJar jar = UploadedJar.read(bytes, runtime);
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

    private BundleDeployment install(String tenant, String bsn, byte[] bytes) {
        Bundle bundle;
        try {
            bundle = context.installBundle(LOCATION_PREFIX + tenant + "/" + bsn, new ByteArrayInputStream(bytes));
        } catch (BundleException e) {
            throw new BundleRejectedException("bundle", "cannot install the bundle: " + e.getMessage(), e);
        }
        try {
            bundle.start();
        } catch (BundleException e) {
            uninstall(bundle);
            throw new BundleRejectedException("bundle", "cannot start the bundle: " + e.getMessage(), e);
        }
        DeployVerdict verdict = await(bundle, null);
        if (!verdict.accepted()) {
            uninstall(bundle);
            throw new BundleRejectedException(verdict.field(), verdict.reason());
        }
        return deployment(bundle, verdict);
    }

    private BundleDeployment replace(Bundle bundle, String tenant, String bsn, byte[] bytes) {
        DeployVerdict before = extender.verdicts().last(bundle.getBundleId()).orElse(null);
        try {
            bundle.update(new ByteArrayInputStream(bytes));
            if (bundle.getState() != Bundle.ACTIVE) {
                bundle.start();
            }
        } catch (BundleException | IllegalStateException e) {
            rollBack(bundle, tenant, bsn);
            throw new BundleRejectedException("bundle", "cannot start the bundle: " + e.getMessage(), e);
        }
        DeployVerdict verdict = await(bundle, before);
        if (!verdict.accepted()) {
            rollBack(bundle, tenant, bsn);
            throw new BundleRejectedException(verdict.field(), verdict.reason());
        }
        return deployment(bundle, verdict);
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
            byte[] previous = kept(tenant, bsn);
            if (bundle.getLocation().startsWith(LOCATION_PREFIX)) {
                if (previous == null) {
                    LOG.warn("{}: no earlier upload kept to roll back to; the workflows deployed before keep serving",
                            bundle.getSymbolicName());
                    return;
                }
                bundle.update(new ByteArrayInputStream(previous));
            } else {
                bundle.update();
            }
            if (bundle.getState() != Bundle.ACTIVE) {
                bundle.start();
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

    private void keep(String tenant, String bsn, byte[] bytes) {
        if (accepted == null) {
            return;
        }
        try {
            Path file = file(tenant, bsn);
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("cannot keep the accepted bytes of {} for a rollback: {}", bsn, e.toString());
        }
    }

    private byte[] kept(String tenant, String bsn) throws IOException {
        if (accepted == null) {
            return null;
        }
        Path file = file(tenant, bsn);
        return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
    }

    private Path file(String tenant, String bsn) {
        return accepted.resolve(tenant).resolve(bsn.replaceAll("[^A-Za-z0-9._-]", "_") + ".jar");
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }
}
