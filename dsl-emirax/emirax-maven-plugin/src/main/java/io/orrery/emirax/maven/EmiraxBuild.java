package io.orrery.emirax.maven;

import io.orrery.api.engine.WorkflowDefinition;
import io.orrery.api.engine.WorkflowModule;
import io.orrery.api.function.OrreryFunction;
import io.orrery.api.tenant.Tenant;
import io.orrery.emirax.CompileProblem;
import io.orrery.emirax.CompiledModule;
import io.orrery.emirax.EmiraxCompileException;
import io.orrery.emirax.EmiraxCompiler;
import io.orrery.emirax.EmiraxSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the plugin does, without Maven: compiles a tenant project's Emirax sources into its class output directory,
 * builds the model once (so a workflow that cannot load fails the build, not the deploy), and works out the
 * bundle headers. Class files it wrote on an earlier run are removed first, so a deleted source leaves nothing.
 */
final class EmiraxBuild {

    static final String GENERATED_LIST = "generated-classes.txt";
    static final String BND_FILE = "emirax.bnd";

    private final Path basedir;
    private final Path sourceDirectory;
    private final Path outputDirectory;
    private final Path workDirectory;
    private final ClassLoader parent;

    /**
     * @param workDirectory where the plugin keeps its own files ({@value #BND_FILE}, the list of generated classes)
     * @param parent        sees the Emirax DSL, Groovy, the Orrery API and the project's own classes
     */
    EmiraxBuild(Path basedir, Path sourceDirectory, Path outputDirectory, Path workDirectory, ClassLoader parent) {
        this.basedir = basedir;
        this.sourceDirectory = sourceDirectory;
        this.outputDirectory = outputDirectory;
        this.workDirectory = workDirectory;
        this.parent = parent;
    }

    /** Throws {@link EmiraxCompileException} with every problem positioned in its file. */
    Result run(String tenant) throws IOException {
        Tenant.requireValidName(tenant);
        return run(tenant, ScriptPackage.forTenant(tenant));
    }

    /** @param scripts the package of the sources that declare none */
    Result run(String tenant, ScriptPackage scripts) throws IOException {
        Tenant.requireValidName(tenant);
        List<EmiraxSource> sources = scripts.apply(EmiraxSourceSet.read(basedir, sourceDirectory));
        removeStaleClasses();
        TenantHeaders headers;
        List<String> written = List.of();
        if (sources.isEmpty()) {
            headers = new TenantHeaders(tenant, Map.of(), List.of(), List.of());
        } else {
            CompiledModule compiled = compile(sources, scripts);
            WorkflowModule module = load(compiled, sources);
            written = writeClasses(compiled);
            headers = headers(tenant, compiled, module);
        }
        Files.createDirectories(workDirectory);
        Files.write(workDirectory.resolve(GENERATED_LIST), written, StandardCharsets.UTF_8);
        Files.writeString(workDirectory.resolve(BND_FILE), headers.asBnd(), StandardCharsets.UTF_8);
        return new Result(sources.size(), written.size(), headers);
    }

    /** @param classes class files written */
    record Result(int sources, int classes, TenantHeaders headers) {
    }

    private CompiledModule compile(List<EmiraxSource> sources, ScriptPackage scripts) {
        try {
            return new EmiraxCompiler(parent).compile(sources);
        } catch (EmiraxCompileException e) {
            throw new EmiraxCompileException(e.problems().stream().map(scripts::unshift).toList());
        }
    }

    private WorkflowModule load(CompiledModule compiled, List<EmiraxSource> sources) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(parent);
        try {
            return compiled.load(parent);
        } catch (RuntimeException | LinkageError e) {
            throw new EmiraxCompileException(List.of(ModelFailure.locate(e, compiled.scriptClasses(), sources)));
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static TenantHeaders headers(String tenant, CompiledModule compiled, WorkflowModule module) {
        Map<String, Integer> workflows = new LinkedHashMap<>();
        for (WorkflowDefinition w : module.workflows()) {
            workflows.put(w.name(), w.version());
        }
        List<String> functions = module.functions().stream().map(OrreryFunction::name).toList();
        return new TenantHeaders(tenant, workflows, compiled.scriptClasses(), functions);
    }

    private List<String> writeClasses(CompiledModule compiled) throws IOException {
        List<String> written = new ArrayList<>();
        for (Map.Entry<String, byte[]> c : compiled.classes().entrySet()) {
            String relative = c.getKey().replace('.', '/') + ".class";
            Path file = outputDirectory.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.write(file, c.getValue());
            written.add(relative);
        }
        written.sort(null);
        return written;
    }

    private void removeStaleClasses() throws IOException {
        Path list = workDirectory.resolve(GENERATED_LIST);
        if (!Files.isRegularFile(list)) {
            return;
        }
        for (String relative : Files.readAllLines(list, StandardCharsets.UTF_8)) {
            if (!relative.isBlank() && relative.endsWith(".class") && !relative.contains("..")) {
                Files.deleteIfExists(outputDirectory.resolve(relative));
            }
        }
    }

    /** Positions an exception thrown while the scripts built the model at the source line that threw it. */
    static final class ModelFailure {

        private ModelFailure() {
        }

        static CompileProblem locate(Throwable failure, List<String> scripts, List<EmiraxSource> sources) {
            String message = failure.getMessage() == null ? failure.toString() : failure.getMessage();
            for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
                for (StackTraceElement frame : t.getStackTrace()) {
                    int i = scriptIndex(frame.getClassName(), scripts);
                    if (i >= 0 && frame.getLineNumber() > 0) {
                        return new CompileProblem(sources.get(i).path(), frame.getLineNumber(), 0, message);
                    }
                }
            }
            String file = sources.size() == 1 ? sources.get(0).path() : "?";
            return new CompileProblem(file, 0, 0, message);
        }

        // A script's closures compile to nested classes: encode_video$_run_closure1$_closure4.
        private static int scriptIndex(String className, List<String> scripts) {
            for (int i = 0; i < scripts.size(); i++) {
                String s = scripts.get(i);
                if (className.equals(s) || className.startsWith(s + "$")) {
                    return i;
                }
            }
            return -1;
        }
    }
}
