package io.orrery.engine.internal.catalog;

import io.orrery.api.tenant.BundleDeployment;

/**
 * This node's tenant bundles, as the catalog changes them. In OSGi the deploy is the same path a REST upload takes
 * (read, verify, install, wait for the extender's verdict), so a node refuses a bundle that fails there on its own.
 */
public interface NodeBundles {

    /** Installs or updates the bundle; throws {@link io.orrery.api.tenant.BundleRejectedException} when refused. */
    BundleDeployment deploy(String tenant, byte[] bundle);

    /** Uninstalls the tenant's uploaded bundle of that name; false when there is none. */
    boolean uninstall(String tenant, String symbolicName);

    /**
     * Uninstalls every bundle of the tenant on this node, however it was installed (uploaded, put in
     * {@code deploy/}, {@code bundle:install}ed): the tenant is being deleted. Answers how many.
     */
    default int uninstallTenant(String tenant) {
        return 0;
    }

    /** Whether the node has the tenant's bundle of that name installed. */
    boolean installed(String tenant, String symbolicName);
}
