package io.orrery.emirax;

import groovy.lang.GroovyClassLoader;
import groovy.transform.CompileStatic;
import groovy.transform.ThreadInterrupt;
import io.orrery.emirax.internal.ForbiddenApiGuard;
import io.orrery.emirax.internal.RuleShaping;
import io.orrery.emirax.internal.sandbox.AnnotationBan;
import io.orrery.emirax.internal.sandbox.ForClasses;
import io.orrery.emirax.internal.sandbox.FunctionSplit;
import io.orrery.emirax.internal.sandbox.SandboxTransformer;
import io.orrery.emirax.sandbox.RuleClassVerifier;
import io.orrery.emirax.sandbox.Violation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.CompilationUnit;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.Phases;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.ASTTransformationCustomizer;
import org.codehaus.groovy.control.messages.ExceptionMessage;
import org.codehaus.groovy.control.messages.Message;
import org.codehaus.groovy.control.messages.SimpleMessage;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.syntax.SyntaxException;
import org.codehaus.groovy.tools.GroovyClass;

/**
 * Compiles Emirax sources ahead of time, never at request time. Each source becomes a script class extending
 * {@link EmiraxScript}, holding its workflows and rules, and, when it declares functions, a function class
 * ({@code <script>$functions}) holding their bodies, which only function hosts load. The compiler renames
 * {@code call} inside closures so it never means {@code Closure.call}, fingerprints each rule's source text,
 * refuses annotations and the usual suspects early ({@link io.orrery.emirax.internal.GuardRules}), puts the rule
 * code into the sandbox (every dynamic operation a checked call of {@link io.orrery.emirax.sandbox.Checked}, with
 * checkpoints in every loop, closure and method so the engine can stop a runaway rule), compiles it statically,
 * and verifies the result with {@link io.orrery.emirax.sandbox.RuleClassVerifier}, as the server will.
 */
public final class EmiraxCompiler {

    private final ClassLoader parent;

    /** @param parent sees the Emirax DSL, the Orrery API and Groovy (in OSGi a {@link FallbackClassLoader}) */
    public EmiraxCompiler(ClassLoader parent) {
        this.parent = parent;
    }

    public EmiraxCompiler() {
        this(EmiraxCompiler.class.getClassLoader());
    }

    /** Compiles the sources together; throws {@link EmiraxCompileException} listing every problem found. */
    public CompiledModule compile(List<EmiraxSource> sources) {
        Map<String, EmiraxSource> byUnitName = unitNames(sources);
        var config = configuration(byUnitName);
        var loader = new GroovyClassLoader(parent, config);
        var unit = new CompilationUnit(config, null, loader);
        var units = new ArrayList<SourceUnit>();
        byUnitName.forEach((name, source) -> units.add(unit.addSource(name, source.text())));
        try {
            unit.compile(Phases.CLASS_GENERATION);
        } catch (CompilationFailedException e) {
            throw new EmiraxCompileException(problems(unit, e, byUnitName));
        }
        Map<String, byte[]> classes = new HashMap<>();
        for (GroovyClass c : unit.getClasses()) {
            classes.put(c.getName(), c.getBytes());
        }
        List<String> scripts = units.stream().map(this::scriptClass).toList();
        requireVerifiable(classes, scripts, sources);
        return new CompiledModule(classes, scripts);
    }

    // What the server will verify must verify here already: a construct the sandbox cannot express fails the
    // tenant's build, not the deploy.
    private static void requireVerifiable(Map<String, byte[]> classes, List<String> scripts,
                                          List<EmiraxSource> sources) {
        Map<String, byte[]> ruleSide = new HashMap<>();
        classes.forEach((name, bytes) -> {
            if (!RuleClassVerifier.isFunctionClass(name)) {
                ruleSide.put(name, bytes);
            }
        });
        List<CompileProblem> problems = new ArrayList<>();
        for (Violation v : RuleClassVerifier.verifyAll(ruleSide)) {
            String owner = v.className().contains("$") ? v.className().substring(0, v.className().indexOf('$'))
                    : v.className();
            int i = scripts.indexOf(owner);
            problems.add(new CompileProblem(i < 0 ? "?" : sources.get(i).path(), 0, 0,
                    "this code cannot run in the rule sandbox: " + v));
        }
        if (!problems.isEmpty()) {
            throw new EmiraxCompileException(problems);
        }
    }

    private CompilerConfiguration configuration(Map<String, EmiraxSource> byUnitName) {
        var config = new CompilerConfiguration();
        config.setScriptBaseClass(EmiraxScript.class.getName());
        config.setTargetBytecode(CompilerConfiguration.JDK17);
        Map<String, String> texts = new HashMap<>();
        byUnitName.forEach((name, source) -> texts.put(name, source.text()));
        // @Grab would resolve and download artifacts while compiling; Emirax sources never need it.
        config.setDisabledGlobalASTTransformations(Set.of("groovy.grape.GrabAnnotationTransformation"));
        config.addCompilationCustomizers(
                new AnnotationBan(),
                new RuleShaping(texts),
                new FunctionSplit(),
                new ForClasses(new ASTTransformationCustomizer(Map.of("applyToAllClasses", false),
                        ThreadInterrupt.class), c -> !ForClasses.ruleSide(c)),
                new ForbiddenApiGuard(),
                new SandboxTransformer(),
                new ForClasses(new ASTTransformationCustomizer(CompileStatic.class), ForClasses::ruleSide));
        return config;
    }

    private String scriptClass(SourceUnit source) {
        return source.getAST().getClasses().stream().filter(ClassNode::isScript).findFirst()
                .map(ClassNode::getName)
                .orElseThrow(() -> new IllegalStateException(source.getName() + ": no script class generated"));
    }

    // Groovy names a script class after its file; tenant files are named like workflows (encode-video.groovy),
    // which is not a class name, so each unit gets a valid name and errors map back to the real path.
    private static Map<String, EmiraxSource> unitNames(List<EmiraxSource> sources) {
        Map<String, EmiraxSource> byName = new LinkedHashMap<>();
        for (EmiraxSource s : sources) {
            String base = s.path().replace('\\', '/');
            base = base.substring(base.lastIndexOf('/') + 1).replaceFirst("\\.(groovy|emirax)$", "");
            String name = base.replaceAll("[^A-Za-z0-9_]", "_");
            if (name.isEmpty() || !Character.isJavaIdentifierStart(name.charAt(0))) {
                name = "_" + name;
            }
            if (byName.putIfAbsent(name + ".groovy", s) != null) {
                throw new EmiraxCompileException(List.of(new CompileProblem(s.path(), 0, 0,
                        "two sources are named like " + base + "; give each source its own file name")));
            }
        }
        return byName;
    }

    private static List<CompileProblem> problems(CompilationUnit unit, CompilationFailedException failure,
                                                 Map<String, EmiraxSource> byUnitName) {
        var problems = new ArrayList<CompileProblem>();
        for (Message m : unit.getErrorCollector().getErrors()) {
            problems.add(problem(m, byUnitName));
        }
        if (problems.isEmpty()) {
            problems.add(new CompileProblem("?", 0, 0, failure.getMessage()));
        }
        return problems;
    }

    private static CompileProblem problem(Message m, Map<String, EmiraxSource> byUnitName) {
        if (m instanceof SyntaxErrorMessage s) {
            SyntaxException e = s.getCause();
            return new CompileProblem(path(e.getSourceLocator(), byUnitName), e.getStartLine(), e.getStartColumn(),
                    e.getOriginalMessage());
        }
        if (m instanceof ExceptionMessage e) {
            return new CompileProblem("?", 0, 0, String.valueOf(e.getCause()));
        }
        if (m instanceof SimpleMessage s) {
            return new CompileProblem("?", 0, 0, s.getMessage());
        }
        return new CompileProblem("?", 0, 0, m.toString());
    }

    private static String path(String unitName, Map<String, EmiraxSource> byUnitName) {
        EmiraxSource s = unitName == null ? null : byUnitName.get(unitName);
        return s == null ? String.valueOf(unitName) : s.path();
    }
}
