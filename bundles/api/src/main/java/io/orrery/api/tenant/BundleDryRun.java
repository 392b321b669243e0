package io.orrery.api.tenant;

import io.orrery.api.engine.DryRunReport;
import java.util.List;

/** What deploying a tenant bundle would fire on existing instances, computed without installing it. */
public record BundleDryRun(String symbolicName, String version, List<DryRunReport> workflows) {

    public BundleDryRun {
        workflows = List.copyOf(workflows);
    }
}
