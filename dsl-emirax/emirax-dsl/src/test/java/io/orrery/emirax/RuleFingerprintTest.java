package io.orrery.emirax;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.engine.RuleDefinition;
import io.orrery.api.engine.WorkflowDefinition;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A rule's fingerprint tells the engine whether a new version changed the rule: an unchanged fingerprint lets it
 * skip the rule on redeploy. So it must change with everything the rule's code may call in its file (helper
 * methods, classes), and only with that.
 */
class RuleFingerprintTest {

    static String source(String helper, String otherRule) {
        return helper + "\n"
                + "workflow('w') {\n"
                + "    rule('uses') { match { big(state.n) && !state.done }; action { state.done = true } }\n"
                + "    rule('other') { match { " + otherRule + " }; action { } }\n"
                + "}\n";
    }

    static String fingerprint(String text, String rule) {
        WorkflowDefinition w = new EmiraxCompiler().compile(List.of(new EmiraxSource("w.groovy", text)))
                .load(RuleFingerprintTest.class.getClassLoader()).workflows().get(0);
        return w.rule(rule).map(RuleDefinition::fingerprint).orElseThrow();
    }

    @Test
    void aRuleFingerprintChangesWhenAHelperOfItsFileChanges() {
        String before = source("def big(n) { n > 10 }", "false");
        String after = source("def big(n) { n > 100 }", "false");
        assertThat(fingerprint(after, "uses")).isNotEqualTo(fingerprint(before, "uses"));
    }

    @Test
    void aRuleFingerprintStaysWhenOnlyAnotherRuleChanges() {
        String before = source("def big(n) { n > 10 }", "false");
        String after = source("def big(n) { n > 10 }", "state.x == 1");
        assertThat(fingerprint(after, "uses")).isEqualTo(fingerprint(before, "uses"));
        assertThat(fingerprint(after, "other")).isNotEqualTo(fingerprint(before, "other"));
    }
}
