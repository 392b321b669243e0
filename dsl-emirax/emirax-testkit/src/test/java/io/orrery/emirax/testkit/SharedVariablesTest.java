package io.orrery.emirax.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orrery.api.engine.InstanceStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every instance of a workflow runs the same section closures, so what a section reads from outside itself (the
 * script's locals, the workflow's or rule's, the script's binding) is shared by all of them: it can be read, never
 * changed, so no instance leaves data for another, nor grows memory no section's budget counts.
 */
class SharedVariablesTest {

    private static EmiraxTestKit kit(String declarations, String action) {
        return EmiraxTestKit.fromSource("shared.groovy", """
                %s
                workflow('shared') {
                    def perWorkflow = [seen: []]
                    rule('r') {
                        match { !state.done }
                        action { %s; state.done = true }
                    }
                }
                """.formatted(declarations, action));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "def n = 0                                 | n++; state.n = n                          | n",
            "def n = 0                                 | n = n + 1; state.n = n                    | n",
            "def keep = []                             | keep << ('x' * 1000000); state.n = keep.size() | keep",
            "keep = []                                 | keep << 1; state.n = keep.size()          | keep",
            "def tree = [a: [b: [1]]]                  | tree.a.b << 2; state.n = tree.a.b.size()  | tree",
            "def tree = [a: [b: [1]]]                  | tree.a.c = 2; state.n = tree.a.size()     | tree",
            "def tree = [a: [b: [1]]]                  | tree.a.b.clear(); state.n = tree.a.b.size() | tree",
            "def unused = 0                            | perWorkflow.seen << key; state.n = perWorkflow.seen.size() | perWorkflow",
            "def count = { -> def l = []; { x -> l << x; l.size() } }() | state.n = count(key)   | l",
    })
    void aSectionThatChangesASharedVariableFailsItsInstanceAndTheNextSeesItUnchanged(
            String declarations, String action, String variable) {
        try (var kit = kit(declarations, action)) {
            for (String key : List.of("first", "second")) {
                WorkflowRun run = kit.start("shared", key, Map.of());

                assertThat(run.status()).as(key).isEqualTo(InstanceStatus.FAILED);
                assertThat(run.failure()).as(key).isEqualTo("rule 'r': '" + variable + "' is declared outside the "
                        + "rule and shared by every instance of the workflow, so it cannot be changed here; keep an "
                        + "instance's data in state");
                assertThat(run.state()).as(key).doesNotContainKeys("n", "done");
            }
        }
    }

    @Test
    void sharedConstantsAreReadAsDeclared() {
        try (var kit = kit("""
                def presets = [720, 1080]
                def names = [hd: 'high', sd: [label: 'standard']]
                def steps = 1..3
                limit = 5
                """, "state.n = presets.collect { 'p' + it } + steps.collect { it * limit } + [names.sd.label, "
                + "names.keySet().join(','), presets.contains(720), names.containsKey('hd')]")) {
            for (String key : List.of("first", "second")) {
                WorkflowRun run = kit.start("shared", key, Map.of());

                assertThat(run.failure()).as(key).isNull();
                assertThat(run.state()).as(key).containsEntry("n",
                        List.of("p720", "p1080", 5, 10, 15, "standard", "hd,sd", true, true));
            }
        }
    }

    @Test
    void aSharedValueThatCannotBeMadeReadOnlyFailsTheDeployNamingIt() {
        assertThatThrownBy(() -> kit("def cursor = [1, 2, 3].iterator()", "state.n = cursor.next()"))
                .hasMessageContaining("'cursor' is declared outside the rules that read it")
                .hasMessageContaining("is not JSON data");
    }
}
