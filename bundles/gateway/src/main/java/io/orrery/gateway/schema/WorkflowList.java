package io.orrery.gateway.schema;

import java.util.List;

/** The tenant's deployed workflows. */
public record WorkflowList(List<WorkflowEntry> items) {

    /** A deployed workflow: its current version and rule names. */
    public record WorkflowEntry(String name, int version, List<String> rules) { }
}
