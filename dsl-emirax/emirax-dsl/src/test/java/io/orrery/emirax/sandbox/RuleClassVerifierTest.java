package io.orrery.emirax.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import groovy.lang.GroovyClassLoader;
import groovy.transform.CompileStatic;
import io.orrery.emirax.CompiledModule;
import io.orrery.emirax.EmiraxCompiler;
import io.orrery.emirax.EmiraxLoader;
import io.orrery.emirax.EmiraxScript;
import io.orrery.emirax.EmiraxSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.codehaus.groovy.control.CompilationUnit;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.Phases;
import org.codehaus.groovy.control.customizers.ASTTransformationCustomizer;
import org.codehaus.groovy.tools.GroovyClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's check of rule class files: what the compiler emits passes, anything else is refused. */
class RuleClassVerifierTest {

    private static final String RULES = """
            function('f') { args -> [size: new File(args.path).length()] }
            workflow('w') {
                input { required 'n', Integer }
                rule('r') {
                    match { !state.done && input.n > 1 }
                    action { state.done = true; state.list = (1..input.n).collect { it * 2 }; call 'f', [path: 'x'] }
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void whatTheCompilerEmitsForRulesIsAccepted() {
        CompiledModule m = new EmiraxCompiler().compile(List.of(new EmiraxSource("w.groovy", RULES)));
        Map<String, byte[]> ruleSide = new HashMap<>(m.classes());
        ruleSide.keySet().removeIf(RuleClassVerifier::isFunctionClass);

        assertThat(RuleClassVerifier.verifyAll(ruleSide)).isEmpty();
        assertThat(m.classes().keySet()).anyMatch(RuleClassVerifier::isFunctionClass);
    }

    @Test
    void functionClassesAreNeverRuleClasses() {
        CompiledModule m = new EmiraxCompiler().compile(List.of(new EmiraxSource("w.groovy", RULES)));
        m.classes().forEach((name, bytes) -> {
            if (RuleClassVerifier.isFunctionClass(name)) {
                assertThat(RuleClassVerifier.verify(name, bytes)).isNotEmpty();
            }
        });
    }

    @Test
    void rulesCompiledWithoutTheSandboxAreRefused() {
        // what a tenant build with -Demirax.skip=true (or any other Groovy compiler) gives
        var config = new CompilerConfiguration();
        config.setScriptBaseClass(EmiraxScript.class.getName());
        Map<String, byte[]> classes = plainGroovy(config, "w.groovy", RULES.replace("function('f')", "def x = 1 //"));

        List<Violation> violations = RuleClassVerifier.verifyAll(classes);

        assertThat(violations).isNotEmpty();
        assertThat(violations).extracting(Violation::reference).contains("invokedynamic");
    }

    @Test
    void aHandWrittenScriptDoingIoInRunIsRefusedAndNeverRuns() throws Exception {
        Path marker = dir.resolve("ran");
        var config = new CompilerConfiguration();
        config.addCompilationCustomizers(new ASTTransformationCustomizer(CompileStatic.class));
        Map<String, byte[]> classes = plainGroovy(config, "Evil.groovy", """
                package tenant
                class Evil extends io.orrery.emirax.EmiraxScript {
                    Object run() { java.nio.file.Files.writeString(java.nio.file.Path.of('%s'), 'x'); null }
                }
                """.formatted(marker));

        assertThat(RuleClassVerifier.verify("tenant.Evil", classes.get("tenant.Evil")))
                .extracting(Violation::reference).anyMatch(r -> r.startsWith("java/nio/file/"));
        var loader = new CompiledLoader(classes);
        assertThatThrownBy(() -> EmiraxLoader.load(loader, List.of("tenant.Evil")))
                .hasMessageContaining("refused").hasMessageContaining("java/nio/file/");
        assertThat(marker).doesNotExist();
    }

    /**
     * A call named on the tenant's own class that the JVM resolves to a method it inherits (here Script.evaluate,
     * which runs any Groovy text unsandboxed) is a call of that inherited method, and checked as one.
     */
    @Test
    void aCallOfAnInheritedPlatformMethodThroughTheTenantsOwnClassIsRefusedAndNeverRuns() throws Exception {
        Path marker = dir.resolve("evaluated");
        var config = new CompilerConfiguration();
        config.addCompilationCustomizers(new ASTTransformationCustomizer(CompileStatic.class));
        Map<String, byte[]> classes = plainGroovy(config, "Eval.groovy", """
                package tenant
                class Eval extends io.orrery.emirax.EmiraxScript {
                    Object run() { evaluate("new File('%s').text = 'x'") }
                }
                """.formatted(marker));

        assertThat(RuleClassVerifier.verify("tenant.Eval", classes.get("tenant.Eval")))
                .extracting(Violation::reference).anyMatch(r -> r.contains("evaluate"));
        assertThatThrownBy(() -> EmiraxLoader.load(new CompiledLoader(classes), List.of("tenant.Eval")))
                .hasMessageContaining("refused").hasMessageContaining("evaluate");
        assertThat(marker).doesNotExist();
    }

    /** The same through a closure of the tenant's: its inherited Closure members are checked as Closure's. */
    @Test
    void aClosureCallingAnInheritedMemberNotAllowedOnClosuresIsRefused() {
        var config = new CompilerConfiguration();
        config.addCompilationCustomizers(new ASTTransformationCustomizer(CompileStatic.class));
        Map<String, byte[]> classes = plainGroovy(config, "Redo.groovy", """
                package tenant
                class Redo extends io.orrery.emirax.EmiraxScript {
                    Object run() { def c = { -> setDelegate(1); rehydrate(1, 2, 3) }; c() }
                }
                """);

        List<Violation> violations = new ArrayList<>();
        classes.forEach((name, bytes) -> violations.addAll(RuleClassVerifier.verify(name, bytes)));
        assertThat(violations).extracting(Violation::reference)
                .anyMatch(r -> r.contains("setDelegate")).anyMatch(r -> r.contains("rehydrate"));
    }

    @Test
    void aClassWithAStaticInitializerIsRefusedAndNeverInitialised() {
        String property = "emirax.verifier.test." + System.nanoTime();
        var config = new CompilerConfiguration();
        config.addCompilationCustomizers(new ASTTransformationCustomizer(CompileStatic.class));
        Map<String, byte[]> classes = plainGroovy(config, "Init.groovy", """
                package tenant
                class Init extends io.orrery.emirax.EmiraxScript {
                    static { System.setProperty('%s', 'ran') }
                    Object run() { null }
                }
                """.formatted(property));

        assertThat(RuleClassVerifier.verify("tenant.Init", classes.get("tenant.Init")))
                .extracting(Violation::reference).contains("<clinit>");
        assertThatThrownBy(() -> EmiraxLoader.load(new CompiledLoader(classes), List.of("tenant.Init")))
                .hasMessageContaining("<clinit>");
        assertThat(System.getProperty(property)).isNull();
    }

    @Test
    void classesPosingAsPlatformClassesOrGarbageAreRefused() {
        CompiledModule m = new EmiraxCompiler().compile(List.of(new EmiraxSource("w.groovy", RULES)));
        byte[] script = m.classes().get("w");

        assertThat(RuleClassVerifier.verify("groovy.lang.GroovyShell$x", script)).isNotEmpty();
        assertThat(RuleClassVerifier.verify("other", script)).extracting(Violation::reason)
                .anyMatch(r -> r.contains("not other"));
        assertThat(RuleClassVerifier.verify("w", new byte[] {1, 2, 3})).isNotEmpty();
        assertThat(RuleClassVerifier.verifyAll(Map.of("w", script))).extracting(Violation::reason)
                .anyMatch(r -> r.contains("not among the classes verified"));
    }

    private static Map<String, byte[]> plainGroovy(CompilerConfiguration config, String name, String text) {
        var unit = new CompilationUnit(config, null, new GroovyClassLoader(RuleClassVerifierTest.class.getClassLoader()));
        unit.addSource(name, text);
        unit.compile(Phases.CLASS_GENERATION);
        Map<String, byte[]> classes = new HashMap<>();
        for (GroovyClass c : unit.getClasses()) {
            classes.put(c.getName(), c.getBytes());
        }
        return classes;
    }

    /** Defines classes from memory and serves their class files, as a bundle's loader does. */
    private static final class CompiledLoader extends ClassLoader {
        private final Map<String, byte[]> classes;

        CompiledLoader(Map<String, byte[]> classes) {
            super(RuleClassVerifierTest.class.getClassLoader());
            this.classes = classes;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = classes.get(name);
            if (b == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, b, 0, b.length);
        }

        @Override
        public java.io.InputStream getResourceAsStream(String name) {
            byte[] b = classes.get(name.replace('/', '.').replaceFirst("\\.class$", ""));
            return b != null ? new java.io.ByteArrayInputStream(b) : super.getResourceAsStream(name);
        }
    }
}
