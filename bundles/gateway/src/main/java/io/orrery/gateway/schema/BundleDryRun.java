package io.orrery.gateway.schema;

import java.util.List;
import java.util.Map;

/** What deploying a bundle would fire on the existing instances, per workflow. */
public record BundleDryRun(String tenant, String symbolicName, String version, List<DryRunWorkflow> workflows) {

    /** @param wouldFire per rule of the new version, on how many instances it would fire */
    public record DryRunWorkflow(String workflow, int fromVersion, int toVersion, long instances, Map<String, Long> wouldFire,
                           long matchErrors) { }
}
