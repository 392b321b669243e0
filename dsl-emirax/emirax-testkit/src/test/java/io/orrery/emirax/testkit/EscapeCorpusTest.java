package io.orrery.emirax.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.engine.InstanceStatus;
import io.orrery.emirax.EmiraxCompileException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The escape corpus: one Emirax source per attempt to get out of the rule sandbox (src/test/resources/escapes/),
 * the bypasses found against the old deny-list and the shapes of published Groovy sandbox escapes. Each must be
 * refused by the compiler, fail while the module loads, or fail its instance at run time, with the reason its first
 * line names ({@code // expect: ...}), and leave no trace: the marker file it tries to create does not exist and
 * the system property it tries to set is not set. {@code @MARKER@} and {@code @PROP@} in a source are replaced by
 * a fresh path and property name.
 */
class EscapeCorpusTest {

    @TempDir
    static Path markers;

    static Stream<String> escapes() throws IOException, URISyntaxException {
        Path root = Path.of(EscapeCorpusTest.class.getResource("/escapes").toURI());
        try (Stream<Path> files = Files.list(root)) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".groovy"))
                    .sorted().toList();
            return names.stream();
        }
    }

    @Test
    void theCorpusHoldsAtLeastFortyEscapes() throws Exception {
        assertThat(escapes().count()).isGreaterThanOrEqualTo(40);
    }

    @Test
    void theHarnessRunsAnInnocentRuleToTheEnd() {
        Path marker = markers.resolve("innocent.marker");
        String source = """
                workflow('escape') {
                    rule('x') {
                        match { !state.done }
                        action { state.done = true; state.path = '@MARKER@'.toUpperCase() }
                    }
                }
                """.replace("@MARKER@", marker.toString());
        try (var kit = EmiraxTestKit.fromSource("innocent.groovy", source)) {
            WorkflowRun run = kit.start("escape", "k", Map.of());
            assertThat(run.status()).isEqualTo(InstanceStatus.IDLE);
            assertThat(run.state()).containsEntry("done", true)
                    .containsEntry("path", marker.toString().toUpperCase());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("escapes")
    void isRefusedOrFailsAndLeavesNoTrace(String file) throws Exception {
        String text = Files.readString(Path.of(EscapeCorpusTest.class.getResource("/escapes/" + file).toURI()),
                StandardCharsets.UTF_8);
        String expected = text.lines().findFirst().orElseThrow().replaceFirst("^// expect: ", "").strip();
        Path marker = markers.resolve(file + ".marker");
        String property = "emirax.escape." + file;
        String source = text.replace("@MARKER@", marker.toString()).replace("@PROP@", property);

        String outcome = attempt(file, source);
        System.out.println("escape " + file + ": " + outcome.replace('\n', ' '));

        assertThat(outcome).contains(expected);
        assertThat(marker).doesNotExist();
        assertThat(Path.of(marker + ".groovy")).doesNotExist();
        assertThat(System.getProperty(property)).isNull();
    }

    /** What stopped the escape: the compile errors, the load failure, or the instance's failure. */
    private static String attempt(String file, String source) {
        EmiraxTestKit kit;
        try {
            kit = EmiraxTestKit.fromSource(file, source);
        } catch (EmiraxCompileException e) {
            return "refused at compile time: " + e.getMessage();
        } catch (RuntimeException e) {
            return "failed at load: " + chain(e);
        }
        try (kit) {
            WorkflowRun run = kit.start("escape", "k", Map.of());
            assertThat(run.status()).as("%s: the escaping rule must fail its instance", file)
                    .isEqualTo(InstanceStatus.FAILED);
            assertThat(run.state()).as("%s: nothing after the escape ran", file).doesNotContainKey("done");
            return "failed at run time: " + run.failure();
        }
    }

    private static String chain(Throwable e) {
        var sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            sb.append(t).append(" <- ");
        }
        return sb.toString();
    }
}
