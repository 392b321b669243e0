package io.orrery.engine.internal.catalog;

import io.orrery.api.tenant.BundleDeployer;
import io.orrery.api.tenant.BundleDeployment;
import java.util.Optional;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * This node's framework as the catalog sees it: deploys through the upload deployer (the path a REST upload takes,
 * verification included) and uninstalls bundles installed from uploads. Bundles an administrator installed by hand
 * ({@code deploy/}, {@code bundle:install}) are this node's own business and are left alone.
 */
public final class OsgiNodeBundles implements NodeBundles {

    /** Where the upload deployer installs from (its bundle locations' prefix). */
    static final String UPLOAD_LOCATION = "orrery-upload:";
    private static final String TENANT_HEADER = "Orrery-Tenant";

    private final BundleContext context;
    private final BundleDeployer uploads;

    public OsgiNodeBundles(BundleContext context, BundleDeployer uploads) {
        this.context = context;
        this.uploads = uploads;
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
