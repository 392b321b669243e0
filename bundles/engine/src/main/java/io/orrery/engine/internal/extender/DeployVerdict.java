package io.orrery.engine.internal.extender;

import io.orrery.api.engine.DeployReport;
import java.time.Instant;
import java.util.List;

/**
 * What became of one revision of a tenant bundle: deployed (with a report per workflow: instances re-evaluated,
 * rules fired) or rejected (with the reason; whatever was deployed before keeps serving).
 *
 * @param field what was wrong when rejected (a header, {@code workflows}, a workflow's name); may be null
 */
public record DeployVerdict(long bundleId, long lastModified, String symbolicName, String version, String tenant,
                            boolean accepted, List<DeployReport> reports, String reason, String field, Instant at) {

    public DeployVerdict {
        reports = List.copyOf(reports);
    }

    static DeployVerdict accepted(TenantBundle b, String tenant, List<DeployReport> reports, Instant at) {
        return new DeployVerdict(b.id(), b.lastModified(), b.symbolicName(), b.version(), tenant, true, reports,
                null, null, at);
    }

    static DeployVerdict rejected(TenantBundle b, String tenant, String field, String reason, Instant at) {
        return new DeployVerdict(b.id(), b.lastModified(), b.symbolicName(), b.version(), tenant, false, List.of(),
                reason, field, at);
    }
}
