package io.orrery.engine.internal.catalog;

import io.orrery.api.tenant.BundleDeployer;
import io.orrery.api.tenant.BundleDeployment;
import java.util.Optional;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's framework as the catalog sees it: deploys through the upload deployer (the path a REST upload takes,
 * verification included) and uninstalls bundles installed from uploads. Bundles an administrator installed by hand
 * ({@code deploy/}, {@code bundle:install}) are this node's own business and are left alone, until their tenant is
 * deleted: then every bundle naming it goes, and a file in {@code deploy/} with it (FileInstall would install it
 * again at the next start).
 */
public final class OsgiNodeBundles implements NodeBundles {

    /** Where the upload deployer installs from (its bundle locations' prefix). */
    static final String UPLOAD_LOCATION = "orrery-upload:";
    private static final String TENANT_HEADER = "Orrery-Tenant";
    private static final Logger LOG = LoggerFactory.getLogger(OsgiNodeBundles.class);

    private final BundleContext context;
    private final BundleDeployer uploads;
    private final Path deployDirectory;

    /**
     * @param deployDirectory the directory FileInstall watches ({@code deploy/}); null when there is none
     */
    public OsgiNodeBundles(BundleContext context, BundleDeployer uploads, Path deployDirectory) {
        this.context = context;
        this.uploads = uploads;
        this.deployDirectory = deployDirectory == null ? null : deployDirectory.toAbsolutePath().normalize();
    }

    @Override
    public BundleDeployment deploy(String tenant, byte[] bundle) {
        return uploads.deploy(tenant, bundle);
    }

    @Override
    public boolean uninstall(String tenant, String symbolicName) {
        Optional<Bundle> bundle = find(tenant, symbolicName).filter(b -> b.getLocation().startsWith(UPLOAD_LOCATION));
        if (bundle.isEmpty()) {
            return false;
        }
        try {
            bundle.get().uninstall();
            return true;
        } catch (BundleException | IllegalStateException e) {
            throw new IllegalStateException("cannot uninstall " + symbolicName + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int uninstallTenant(String tenant) {
        int removed = 0;
        for (Bundle b : context.getBundles()) {
            String owner = b.getHeaders("").get(TENANT_HEADER);
            if (owner == null || !tenant.equals(owner.trim()) || b.getState() == Bundle.UNINSTALLED) {
                continue;
            }
            String location = b.getLocation();
            forgetDeployedFile(location);
            try {
                b.uninstall();
            } catch (IllegalStateException alreadyGone) {
                // FileInstall saw its file go first.
            } catch (BundleException e) {
                throw new IllegalStateException("cannot uninstall " + b.getSymbolicName() + " of tenant " + tenant
                        + ": " + e.getMessage(), e);
            }
            LOG.info("tenant {}: bundle {} ({}) uninstalled with its tenant", tenant, b.getSymbolicName(), location);
            removed++;
        }
        return removed;
    }

    /** Deletes the bundle's file when it lies in {@code deploy/}; a file elsewhere is the administrator's own. */
    private void forgetDeployedFile(String location) {
        if (deployDirectory == null || !location.startsWith("file:")) {
            return;
        }
        try {
            Path file = Path.of(URI.create(location)).toAbsolutePath().normalize();
            if (deployDirectory.equals(file.getParent())) {
                Files.deleteIfExists(file);
            }
        } catch (IllegalArgumentException | IOException e) {
            throw new IllegalStateException("cannot remove " + location + " from " + deployDirectory + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public boolean installed(String tenant, String symbolicName) {
        return find(tenant, symbolicName).isPresent();
    }

    private Optional<Bundle> find(String tenant, String symbolicName) {
        for (Bundle b : context.getBundles()) {
            String owner = b.getHeaders("").get(TENANT_HEADER);
            if (symbolicName.equals(b.getSymbolicName()) && owner != null && tenant.equals(owner.trim())) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }
}
