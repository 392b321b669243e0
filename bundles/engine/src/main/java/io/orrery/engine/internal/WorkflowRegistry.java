package io.orrery.engine.internal;

import io.orrery.api.function.OrreryFunction;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The workflows and Emirax functions deployed per tenant on this node. */
public final class WorkflowRegistry {

    private final Map<String, Map<String, DeployedWorkflow>> workflows = new ConcurrentHashMap<>();
    private final Map<String, Map<String, OrreryFunction>> functions = new ConcurrentHashMap<>();

    public Optional<DeployedWorkflow> workflow(String tenant, String name) {
        return Optional.ofNullable(workflows.getOrDefault(tenant, Map.of()).get(name));
    }

    /** Installs a version; answers the one it replaced, if any. */
    public Optional<DeployedWorkflow> install(DeployedWorkflow w) {
        return Optional.ofNullable(workflows.computeIfAbsent(w.tenant(), t -> new ConcurrentHashMap<>()).put(w.name(), w));
    }

    public void remove(String tenant, String name) {
        workflows.getOrDefault(tenant, Map.of()).remove(name);
    }

    public List<DeployedWorkflow> workflows(String tenant) {
        return workflows.getOrDefault(tenant, Map.of()).values().stream()
                .sorted(java.util.Comparator.comparing(DeployedWorkflow::name)).toList();
    }

    public void installFunction(String tenant, OrreryFunction f) {
        functions.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>()).put(f.name(), f);
    }

    public void removeFunction(String tenant, String name) {
        functions.getOrDefault(tenant, Map.of()).remove(name);
    }

    public Optional<OrreryFunction> function(String tenant, String name) {
        return Optional.ofNullable(functions.getOrDefault(tenant, Map.of()).get(name));
    }

    public List<String> functionNames(String tenant) {
        return functions.getOrDefault(tenant, Map.of()).keySet().stream().sorted().toList();
    }
}
