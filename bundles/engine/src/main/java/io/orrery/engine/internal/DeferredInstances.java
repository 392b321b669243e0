package io.orrery.engine.internal;

import io.orrery.api.engine.InstanceId;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Instances whose events this node left for a version of their workflow it does not run yet: results parked while
 * the workflow was not deployed here, and events met while a newer version had evaluated the instance last (kept in
 * the record for that version). Another node may re-evaluate the stored instances when the version is deployed, and
 * may have done so before these events; this node alone knows of them, so it re-evaluates them when it deploys the
 * workflow itself.
 */
final class DeferredInstances {

    private final Map<String, Set<InstanceId>> byWorkflow = new ConcurrentHashMap<>();

    void add(InstanceId id) {
        byWorkflow.computeIfAbsent(ReevaluationClaim.prefix(id.tenant(), id.workflow()),
                k -> ConcurrentHashMap.newKeySet()).add(id);
    }

    /** The workflow's instances left so far, forgotten here. */
    Set<InstanceId> take(String tenant, String workflow) {
        Set<InstanceId> ids = byWorkflow.remove(ReevaluationClaim.prefix(tenant, workflow));
        return ids == null ? Set.of() : ids;
    }
}
