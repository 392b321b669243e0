package io.orrery.api.engine;

import java.util.Map;

/**
 * What deploying a workflow version would do to the existing instances, computed without changing them.
 *
 * @param instances   instances examined
 * @param wouldFire   per rule of the new version, on how many instances it would fire now
 * @param matchErrors instances whose evaluation threw or ran over the time limit
 */
public record DryRunReport(String tenant, String workflow, int fromVersion, int toVersion, long instances,
                           Map<String, Long> wouldFire, long matchErrors) {
}
