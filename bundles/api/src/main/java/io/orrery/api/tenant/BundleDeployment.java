package io.orrery.api.tenant;

import io.orrery.api.engine.DeployReport;
import java.util.List;

/**
 * A tenant bundle that was installed (or updated in place) and whose workflows were deployed.
 *
 * @param bundleId     the OSGi bundle id
 * @param symbolicName the bundle's symbolic name
 * @param version      the bundle's version
 * @param workflows    one report per workflow deployed, with the instances re-evaluated
 */
public record BundleDeployment(long bundleId, String symbolicName, String version, List<DeployReport> workflows) {

    public BundleDeployment {
        workflows = List.copyOf(workflows);
    }
}
