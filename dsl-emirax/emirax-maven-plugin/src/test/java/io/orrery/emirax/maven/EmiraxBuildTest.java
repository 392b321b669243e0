package io.orrery.emirax.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orrery.emirax.CompileProblem;
import io.orrery.emirax.EmiraxCompileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin's compile step on a tenant project laid out in a temporary directory. */
class EmiraxBuildTest {

    private static final String GREETING = """
            function('text.greet') { args -> [text: "Hello, ${args.name}!"] }

            workflow('greeting') {
                version 2
                input { required 'name', String }
                rule('greet') {
                    match    { !state.text }
                    action   { call 'text.greet', [name: input.name] }
                    reaction { r -> state.text = r.text; complete(output: [text: r.text]) }
                }
            }
            """;

    @TempDir
    Path project;

    @Test
    void compilesSourcesIntoTheClassesAndWorksOutTheHeaders() throws IOException {
        write("src/main/emirax/greeting.groovy", GREETING);
        write("src/main/emirax/more/farewell.groovy", """
                workflow('farewell') {
                    rule('bye') { match { false }; action { } }
                }
                """);

        EmiraxBuild.Result result = build().run("beta");

        assertThat(result.sources()).isEqualTo(2);
        assertThat(result.headers().asMap())
                .containsEntry("Orrery-Tenant", "beta")
                .containsEntry("Orrery-Workflows", "greeting;version=2,farewell;version=1")
                .containsEntry("Orrery-Emirax-Scripts", "emirax.beta.internal.greeting,emirax.beta.internal.farewell")
                .containsEntry("Orrery-Emirax-Functions", "text.greet");
        assertThat(project.resolve("target/classes/emirax/beta/internal/greeting.class")).isRegularFile();
        assertThat(project.resolve("target/classes/emirax/beta/internal/farewell.class")).isRegularFile();
        assertThat(Files.readString(project.resolve("target/emirax/emirax.bnd")))
                .contains("Orrery-Tenant: beta\n", "Orrery-Workflows: greeting;version=2,farewell;version=1\n",
                        "Orrery-Function-Components: ${Service-Component}\n", "-removeheaders: Service-Component,Provide-Capability,Require-Capability\n");
        assertThat(result.classes()).isEqualTo(
                Files.readAllLines(project.resolve("target/emirax/generated-classes.txt")).size());
    }

    @Test
    void aDeletedSourceLeavesNoClassesBehind() throws IOException {
        write("src/main/emirax/greeting.groovy", GREETING);
        Path extra = write("src/main/emirax/farewell.groovy", "workflow('farewell') { rule('bye') { match { false }; action { } } }");
        build().run("beta");
        assertThat(project.resolve("target/classes/emirax/beta/internal/farewell.class")).isRegularFile();

        Files.delete(extra);
        EmiraxBuild.Result again = build().run("beta");

        assertThat(project.resolve("target/classes/emirax/beta/internal/farewell.class")).doesNotExist();
        assertThat(project.resolve("target/classes/emirax/beta/internal/greeting.class")).isRegularFile();
        assertThat(again.headers().asMap()).containsEntry("Orrery-Workflows", "greeting;version=2");
    }

    @Test
    void aCompileErrorNamesFileAndLine() throws IOException {
        write("src/main/emirax/broken.groovy", """
                workflow('broken') {
                    rule('exit') {
                        match { true }
                        action { System.exit(1) }
                    }
                }
                """);

        assertThatThrownBy(() -> build().run("acme"))
                .isInstanceOfSatisfying(EmiraxCompileException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> {
                            assertThat(p.file()).isEqualTo("src/main/emirax/broken.groovy");
                            assertThat(p.line()).isEqualTo(4);
                            assertThat(p.message()).contains("System.exit");
                        }));
        assertThat(project.resolve("target/classes/emirax/acme/internal/broken.class")).doesNotExist();
    }

    @Test
    void aSyntaxErrorNamesFileAndLine() throws IOException {
        write("src/main/emirax/typo.groovy", "workflow('typo') {\n    rule('r') {\n        match { state. }\n    }\n}\n");

        assertThatThrownBy(() -> build().run("acme"))
                .isInstanceOfSatisfying(EmiraxCompileException.class, e -> {
                    CompileProblem p = e.problems().get(0);
                    assertThat(p.file()).isEqualTo("src/main/emirax/typo.groovy");
                    assertThat(p.line()).isEqualTo(3);
                });
    }

    @Test
    void aWorkflowThatCannotBeBuiltFailsAtTheLineThatThrew() throws IOException {
        write("src/main/emirax/zero.groovy", "\n\nworkflow('zero') {\n    version 0\n}\n");

        assertThatThrownBy(() -> build().run("acme"))
                .isInstanceOfSatisfying(EmiraxCompileException.class, e -> {
                    CompileProblem p = e.problems().get(0);
                    assertThat(p.file()).isEqualTo("src/main/emirax/zero.groovy");
                    assertThat(p.line()).isBetween(3, 4);
                    assertThat(p.message()).contains("version must be at least 1");
                });
    }

    @Test
    void anErrorOnTheFirstLineKeepsItsColumn() throws IOException {
        write("src/main/emirax/first.groovy", "workflow('first') { System.exit(1) }\n");

        assertThatThrownBy(() -> build().run("acme"))
                .isInstanceOfSatisfying(EmiraxCompileException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> {
                            assertThat(p.line()).isEqualTo(1);
                            assertThat(p.column()).isEqualTo(21);
                        }));
    }

    @Test
    void aSourceThatDeclaresItsPackageKeepsIt() throws IOException {
        write("src/main/emirax/own.groovy", "// mine\npackage com.acme.flows\n\nworkflow('own') { rule('r') { match { false }; action { } } }\n");

        EmiraxBuild.Result result = build().run("acme");

        assertThat(result.headers().scripts()).containsExactly("com.acme.flows.own");
        assertThat(project.resolve("target/classes/com/acme/flows/own.class")).isRegularFile();
    }

    @Test
    void aProjectWithoutSourcesStillNamesItsTenant() throws IOException {
        EmiraxBuild.Result result = build().run("acme");

        assertThat(result.sources()).isZero();
        assertThat(result.headers().asMap()).containsOnlyKeys("Orrery-Tenant");
    }

    @Test
    void refusesATenantNameTheServerWouldRefuse() {
        assertThatThrownBy(() -> build().run("Acme Corp")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tenant");
    }

    @Test
    void quotesWorkflowNamesThatAreNotPlainTokens() {
        var headers = new TenantHeaders("acme", java.util.Map.of("a,b", 1), List.of("x"), List.of());
        assertThat(headers.asMap()).containsEntry("Orrery-Workflows", "\"a,b\";version=1");
    }

    private EmiraxBuild build() {
        return new EmiraxBuild(project, project.resolve("src/main/emirax"), project.resolve("target/classes"),
                project.resolve("target/emirax"), getClass().getClassLoader());
    }

    private Path write(String relative, String text) throws IOException {
        Path file = project.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }
}
