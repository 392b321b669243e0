package io.orrery.gateway.schema;

import java.util.List;
import java.util.Map;

/** The 201 answer of a bundle upload: the bundle and, per workflow, what its deployment re-evaluated and fired. */
public record BundleDeployed(String tenant, BundleInfo bundle, List<DeployedWorkflow> workflows) {

    public record BundleInfo(long id, String symbolicName, String version) { }

    /** @param fired per rule, on how many existing instances it fired */
    public record DeployedWorkflow(String workflow, int version, int previousVersion, long reevaluated, Map<String, Long> fired) { }
}
