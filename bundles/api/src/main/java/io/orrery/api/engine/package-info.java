/**
 * The workflow engine's model and service (Plato). The Emirax DSL builds {@link io.orrery.api.engine.WorkflowDefinition}s
 * from tenant sources; the engine runs them as forward-chaining rules over always-on instances keyed by
 * (tenant, workflow, business key).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.orrery.api.engine;
