package io.orrery.emirax;

import io.orrery.api.engine.WorkflowModule;
import java.util.List;
import java.util.Map;

/**
 * What the compiler produced for a source set: the generated classes and, per source, its script class (whose
 * {@code run()} builds the model). The Maven plugin writes the classes into the tenant bundle; tests load them
 * straight from memory with {@link #load}.
 *
 * @param classes       binary class name to bytecode
 * @param scriptClasses one per source, in source order
 */
public record CompiledModule(Map<String, byte[]> classes, List<String> scriptClasses) {

    public CompiledModule {
        classes = Map.copyOf(classes);
        scriptClasses = List.copyOf(scriptClasses);
    }

    /** Defines the classes in a fresh loader under {@code parent} and builds the model. */
    public WorkflowModule load(ClassLoader parent) {
        return EmiraxLoader.load(new CompiledClassLoader(parent, classes), scriptClasses);
    }
}
