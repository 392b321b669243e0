package io.orrery.engine.internal.extender;

import io.orrery.api.engine.WorkflowModule;
import io.orrery.api.function.OrreryFunction;
import io.orrery.api.engine.WorkflowDefinition;
import java.util.List;

/** A tenant bundle's workflows and Emirax functions, built by its scripts, with the loader that defined them. */
public record LoadedModule(String tenant, WorkflowModule module, ClassLoader loader) {

    public List<String> workflowNames() {
        return module.workflows().stream().map(WorkflowDefinition::name).toList();
    }

    public List<String> functionNames() {
        return module.functions().stream().map(OrreryFunction::name).toList();
    }
}
