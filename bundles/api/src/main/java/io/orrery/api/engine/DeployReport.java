package io.orrery.api.engine;

import java.util.Map;

/**
 * The result of deploying one workflow version: existing instances re-evaluated and rules fired on them.
 *
 * @param previousVersion 0 for a new workflow
 */
public record DeployReport(String tenant, String workflow, int version, int previousVersion, long reevaluated,
                           Map<String, Long> fired) {
}
