package io.orrery.api.engine;

import java.util.List;

/** A deployed workflow: its current version and rule names. */
public record WorkflowSummary(String tenant, String name, int version, List<String> rules) {
}
