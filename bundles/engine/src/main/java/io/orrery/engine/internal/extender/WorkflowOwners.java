package io.orrery.engine.internal.extender;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which bundle deployed each workflow and Emirax function of each tenant. A newer bundle takes over what it
 * deploys again; when a bundle goes, only what it still owns is undeployed, so uninstalling an old version after
 * its successor took over removes nothing.
 */
// Synchronized: the extender deploys different tenants at the same time.
final class WorkflowOwners {

    private final Map<String, Long> workflows = new HashMap<>();
    private final Map<String, Long> functions = new HashMap<>();

    /** Takes ownership; answers the names the bundle owned before and does not deploy any more. */
    synchronized Claimed claim(long bundleId, String tenant, Collection<String> workflowNames,
                               Collection<String> functionNames) {
        List<String> droppedWorkflows = owned(workflows, bundleId, tenant);
        List<String> droppedFunctions = owned(functions, bundleId, tenant);
        droppedWorkflows.removeAll(workflowNames);
        droppedFunctions.removeAll(functionNames);
        droppedWorkflows.forEach(w -> workflows.remove(key(tenant, w)));
        droppedFunctions.forEach(f -> functions.remove(key(tenant, f)));
        workflowNames.forEach(w -> workflows.put(key(tenant, w), bundleId));
        functionNames.forEach(f -> functions.put(key(tenant, f), bundleId));
        return new Claimed(droppedWorkflows, droppedFunctions);
    }

    /** Gives up everything the bundle owns; answers it. */
    synchronized Claimed release(long bundleId, String tenant) {
        List<String> w = owned(workflows, bundleId, tenant);
        List<String> f = owned(functions, bundleId, tenant);
        w.forEach(n -> workflows.remove(key(tenant, n)));
        f.forEach(n -> functions.remove(key(tenant, n)));
        return new Claimed(w, f);
    }

    synchronized List<String> workflowsOf(long bundleId, String tenant) {
        return owned(workflows, bundleId, tenant);
    }

    /** Workflow and function names of one tenant. */
    record Claimed(List<String> workflows, List<String> functions) {

        boolean isEmpty() {
            return workflows.isEmpty() && functions.isEmpty();
        }
    }

    private static List<String> owned(Map<String, Long> owners, long bundleId, String tenant) {
        String prefix = tenant + '\0';
        List<String> names = new ArrayList<>();
        owners.forEach((k, id) -> {
            if (id == bundleId && k.startsWith(prefix)) {
                names.add(k.substring(prefix.length()));
            }
        });
        names.sort(null);
        return names;
    }

    private static String key(String tenant, String name) {
        return tenant + '\0' + name;
    }
}
