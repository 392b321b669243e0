package io.orrery.api.engine;

import io.orrery.api.function.OrreryFunction;
import java.util.List;

/** What one compiled tenant source set yields: its workflows and its Emirax {@code function} blocks. */
public record WorkflowModule(List<WorkflowDefinition> workflows, List<OrreryFunction> functions) {

    public WorkflowModule {
        workflows = List.copyOf(workflows);
        functions = List.copyOf(functions);
    }
}
