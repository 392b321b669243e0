package io.orrery.emirax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class EmiraxCompilerTest {

    private static EmiraxCompileException compileError(String path, String text) {
        return catchThrowableOfType(EmiraxCompileException.class,
                () -> new EmiraxCompiler().compile(List.of(new EmiraxSource(path, text))));
    }

    @Test
    void syntaxErrorsCarryFileLineAndColumn() {
        var e = compileError("src/main/emirax/broken.groovy", """
                workflow('broken') {
                    rule('r') {
                        match { state.x == }
                    }
                }
                """);
        assertThat(e.problems()).first().satisfies(p -> {
            assertThat(p.file()).isEqualTo("src/main/emirax/broken.groovy");
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.column()).isPositive();
        });
        assertThat(e.getMessage()).contains("src/main/emirax/broken.groovy:3:");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "System.exit(1)                                   | System.exit is not available",
            "Runtime.getRuntime().exec('ls')                  | java.lang.Runtime is not available",
            "new Thread({ -> }).start()                       | java.lang.Thread is not available",
            "new ProcessBuilder('ls').start()                 | java.lang.ProcessBuilder is not available",
            "'rm -rf /'.execute()                             | calling 'execute' is not available",
            "Class.forName('java.lang.Runtime')               | java.lang.Class is not available",
            "String.getDeclaredMethods()                      | calling 'getDeclaredMethods' is not available",
            "state.class                                      | the property 'class' is not available",
            "new GroovyShell().evaluate('1')                  | groovy.lang.GroovyShell is not available",
            "java.util.concurrent.Executors.newFixedThreadPool(1) | java.util.concurrent.Executors is not available",
            "new File('/etc/passwd').text                     | java.io.File is not available in workflow rules",
            "sleep(1000)                                      | calling 'sleep' is not available in workflow rules",
    })
    void forbiddenCallsAreRefusedAtCompileTimeWithTheirLine(String code, String message) {
        var e = compileError("guarded.groovy", "workflow('w') {\n  rule('r') {\n    match { " + code + "; true }\n  }\n}\n");
        assertThat(e).isNotNull();
        assertThat(e.problems()).anySatisfy(p -> {
            assertThat(p.file()).isEqualTo("guarded.groovy");
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.message()).contains(message).contains("[refused by Emirax]");
        });
    }

    @Test
    void functionsMayReadFilesButNotEscape() {
        new EmiraxCompiler().compile(List.of(new EmiraxSource("f.groovy",
                "function('media.size') { args -> [bytes: new File(args.uri).length()] }")));
        var e = compileError("f.groovy", "function('bad') { args ->\n System.exit(0) }");
        assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.line()).isEqualTo(2));
    }

    @Test
    void functionBodiesLiveInTheirOwnClassWhichLoadsOnlyWhenAFunctionRuns(@org.junit.jupiter.api.io.TempDir
                                                                          java.nio.file.Path dir) throws Exception {
        var file = java.nio.file.Files.writeString(dir.resolve("x"), "12345");
        CompiledModule m = new EmiraxCompiler().compile(List.of(new EmiraxSource("f.groovy",
                "function('media.size') { args -> [bytes: new File(args.uri).length()] }\n"
                        + "workflow('w') { rule('r') { match { false } } }")));
        assertThat(m.classes()).containsKey("f$functions");
        var module = m.load(getClass().getClassLoader());

        var size = module.functions().get(0).apply(java.util.Map.of("uri", file.toString()));

        assertThat(size).containsEntry("bytes", 5L);

        // the server builds the model without the function classes: they are never loaded there
        var withoutFunctions = new java.util.HashMap<>(m.classes());
        withoutFunctions.keySet().removeIf(n -> n.contains("$functions"));
        var serverSide = new CompiledModule(withoutFunctions, m.scriptClasses()).load(getClass().getClassLoader());
        assertThat(serverSide.workflows()).hasSize(1);
        assertThatThrownBy(() -> serverSide.functions().get(0).apply(java.util.Map.of("uri", file.toString())))
                .hasMessageContaining("f$functions");
    }

    @Test
    void importsOfRefusedTypesAreRefused() {
        var e = compileError("i.groovy", "import java.lang.reflect.Method\nimport java.lang.invoke.*\nworkflow('w') { }");
        assertThat(e.problems()).extracting(CompileProblem::line).contains(1, 2);
    }

    @Test
    void sourcesNamedLikeWorkflowsCompileToLoadableScriptClasses() {
        CompiledModule m = new EmiraxCompiler().compile(List.of(
                new EmiraxSource("src/main/emirax/encode-video.groovy", "workflow('a') { rule('r') { match { true } } }"),
                new EmiraxSource("src/main/emirax/2nd.groovy", "workflow('b') { }")));
        assertThat(m.scriptClasses()).containsExactly("encode_video", "_2nd");
        assertThat(m.load(getClass().getClassLoader()).workflows()).extracting(w -> w.name()).containsExactly("a", "b");
    }

    @Test
    void duplicateWorkflowNamesAcrossSourcesAreRefusedAtLoad() {
        CompiledModule m = new EmiraxCompiler().compile(List.of(new EmiraxSource("a.groovy", "workflow('x') { }"),
                new EmiraxSource("b.groovy", "workflow('x') { }")));
        assertThatThrownBy(() -> m.load(getClass().getClassLoader()))
                .hasMessage("workflow 'x' is declared in more than one place");
    }

    /**
     * A finally block runs on the way out of a stopped rule; leaving it by a jump would drop the stop it carries
     * (the server's verifier refuses the class file too, without a line).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "try { state.a = 1 } finally { return }",
            "while (true) { try { state.a = 1 } finally { break } }",
            "for (x in [1, 2]) { try { state.a = x } finally { continue } }",
            "outer: for (x in [1]) { try { state.a = x } finally { for (y in [2]) { continue outer } } }",
    })
    void aFinallyBlockLeftByAJumpIsRefusedWithItsLine(String code) {
        var e = compileError("f.groovy", "workflow('w') {\n  rule('r') {\n    action { " + code + " }\n  }\n}\n");
        assertThat(e).isNotNull();
        assertThat(e.problems()).anySatisfy(p -> {
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.message()).contains("finally").contains("[refused by Emirax]");
        });
    }

    @Test
    void aFinallyBlockMayLoopAndThrow() {
        new EmiraxCompiler().compile(List.of(new EmiraxSource("f.groovy", """
                workflow('w') {
                    rule('r') {
                        action {
                            try { state.a = 1 } finally {
                                for (x in [1, 2]) { if (x == 1) continue; break }
                                switch (state.a) { case 1: state.b = 1; break }
                                [1].each { return it }
                                if (!state.a) throw new IllegalStateException('no a')
                            }
                        }
                    }
                }
                """)));
    }
}
