package io.orrery.engine.internal;

import io.orrery.api.engine.InputField;
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
        return new DeployedWorkflow(tenant, withPlainDefaults(definition), ordered);
    }

    /**
     * The definition with its input defaults copied to JSON data once, here: a default is an object the tenant's
     * script made, which its rules may still reach and change, and converting it at every request would run any
     * rule code it holds (a lazy GString) outside every section. Throws naming a default that would.
     */
    private static WorkflowDefinition withPlainDefaults(WorkflowDefinition d) {
        if (d.inputs().stream().allMatch(f -> f.defaultValue() == null)) {
            return d;
        }
        List<InputField> inputs = d.inputs().stream().map(f -> f.defaultValue() == null ? f
                : new InputField(f.name(), f.type(), f.required(), InertValues.copy(f.defaultValue(),
                        "workflow " + d.name() + ": input " + f.name() + " (its default)"))).toList();
        return new WorkflowDefinition(d.name(), d.version(), inputs, d.rules());
    }

    public String name() {
        return definition.name();
    }

    public int version() {
        return definition.version();
    }
}
