package io.orrery.api.engine;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One version of a workflow as the DSL built it: its input fields and its rules in declaration order.
 * An empty {@code inputs} list accepts any input.
 */
public record WorkflowDefinition(String name, int version, List<InputField> inputs, List<RuleDefinition> rules) {

    public WorkflowDefinition {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.contains("/")) {
            // An instance's id is tenant/workflow/key: a '/' in the name would make two workflows' ids meet
            throw new IllegalArgumentException("workflow '" + name + "': a name must not be blank or contain '/'");
        }
        inputs = List.copyOf(inputs);
        rules = List.copyOf(rules);
        if (version < 1) {
            throw new IllegalArgumentException("workflow " + name + ": version must be at least 1, got " + version);
        }
        var names = new HashSet<String>();
        for (RuleDefinition r : rules) {
            if (!names.add(r.name())) {
                throw new IllegalArgumentException("workflow " + name + ": rule '" + r.name() + "' declared twice");
            }
        }
        names.clear();
        for (InputField f : inputs) {
            if (!names.add(f.name())) {
                throw new IllegalArgumentException("workflow " + name + ": input '" + f.name() + "' declared twice");
            }
        }
    }

    public Optional<RuleDefinition> rule(String ruleName) {
        return rules.stream().filter(r -> r.name().equals(ruleName)).findFirst();
    }

    /**
     * Validates a request against the declared fields and merges it into the instance's input so far: each given
     * field is type-checked, undeclared fields are refused, required fields must be present after the merge, and
     * defaults fill what is still missing. Throws {@link InvalidInputException} naming the first bad field.
     */
    public Map<String, Object> mergeInput(Map<String, Object> existing, Map<String, Object> request) {
        Map<String, Object> merged = new LinkedHashMap<>(existing == null ? Map.of() : existing);
        Map<String, Object> given = request == null ? Map.of() : request;
        if (inputs.isEmpty()) {
            merged.putAll(given);
            return merged;
        }
        for (var e : given.entrySet()) {
            InputField field = inputs.stream().filter(f -> f.name().equals(e.getKey())).findFirst()
                    .orElseThrow(() -> new InvalidInputException(e.getKey(), "not declared by workflow " + name));
            merged.put(field.name(), field.accept(e.getValue()));
        }
        for (InputField f : inputs) {
            if (merged.get(f.name()) == null) {
                if (f.required()) {
                    throw new InvalidInputException(f.name(), "required by workflow " + name + ", missing");
                }
                if (f.defaultValue() != null) {
                    merged.put(f.name(), f.defaultValue());
                }
            }
        }
        return merged;
    }
}
