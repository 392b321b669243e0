package io.orrery.api.tenant;

/**
 * Deploys uploaded tenant bundles (the REST upload path; bundles from {@code deploy/} or {@code bundle:install}
 * reach the same extender without it). Implemented by the engine's tenant bundle extender.
 *
 * <p>Both methods check that the bundle's {@code Orrery-Tenant} header names {@code tenant}, and throw
 * {@link BundleRejectedException} with the reason when the bundle cannot be deployed; the previously deployed
 * version keeps serving then.
 */
public interface BundleDeployer {

    /** Installs the bundle, or updates the tenant's bundle of the same symbolic name, and deploys its workflows. */
    BundleDeployment deploy(String tenant, byte[] bundle);

    /** What {@link #deploy} would fire on the existing instances, without installing anything. */
    BundleDryRun dryRun(String tenant, byte[] bundle);

    /**
     * Undeploys the tenant's uploaded bundle of that symbolic name, on every node of the cluster; false when the
     * tenant has no such bundle.
     */
    default boolean undeploy(String tenant, String symbolicName) {
        throw new UnsupportedOperationException("this deployer cannot undeploy");
    }

    /** Undeploys every uploaded bundle of the tenant, on every node (the tenant is being deleted); how many. */
    default int undeployAll(String tenant) {
        throw new UnsupportedOperationException("this deployer cannot undeploy a tenant's bundles");
    }
}
