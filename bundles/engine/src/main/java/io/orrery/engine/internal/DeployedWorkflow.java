package io.orrery.engine.internal;

import io.orrery.api.engine.RuleDefinition;
import io.orrery.api.engine.WorkflowDefinition;
import java.util.Comparator;
import java.util.List;

/** A workflow version as the engine runs it: its rules in agenda order (salience, then declaration order). */
public record DeployedWorkflow(String tenant, WorkflowDefinition definition, List<RuleDefinition> agenda) {

    public static DeployedWorkflow of(String tenant, WorkflowDefinition definition) {
        List<RuleDefinition> rules = definition.rules();
        List<RuleDefinition> ordered = rules.stream()
                .sorted(Comparator.comparingInt((RuleDefinition r) -> -r.salience()).thenComparingInt(rules::indexOf))
                .toList();
        return new DeployedWorkflow(tenant, definition, ordered);
    }

    public String name() {
        return definition.name();
    }

    public int version() {
        return definition.version();
    }
}
