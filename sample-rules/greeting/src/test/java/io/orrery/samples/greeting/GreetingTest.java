package io.orrery.samples.greeting;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.engine.InstanceStatus;
import io.orrery.emirax.testkit.EmiraxTestKit;
import io.orrery.emirax.testkit.WorkflowRun;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The greeting workflow with its own Emirax functions (no stubs) and its child workflow, run to completion. */
class GreetingTest {

    private static EmiraxTestKit kit() {
        return EmiraxTestKit.fromDirectory(Path.of("src/main/emirax")).tenant("beta");
    }

    @Test
    void greetsHasTheChildWorkflowSignAndCompletes() {
        try (EmiraxTestKit kit = kit()) {
            WorkflowRun run = kit.start("greeting", "card-1", Map.of("name", "Ada", "team", "Beta"));

            assertThat(run.status()).isEqualTo(InstanceStatus.IDLE);
            assertThat(run.output()).isEqualTo(Map.of("card", "Hello, Ada!\n-- the Beta team"));
            assertThat(run.firedRules()).containsExactly("greet", "sign", "compose");

            WorkflowRun child = kit.instance("signature", "card-1/signature");
            assertThat(child.output()).isEqualTo(Map.of("signature", "-- the Beta team"));
        }
    }

    @Test
    void theTeamDefaults() {
        try (EmiraxTestKit kit = kit()) {
            WorkflowRun run = kit.start("greeting", "card-2", Map.of("name", "Grace"));

            assertThat(run.output()).containsEntry("card", "Hello, Grace!\n-- the Orrery team");
        }
    }

    @Test
    void aChildThatFailsFailsTheParentWithTheReason() {
        try (EmiraxTestKit kit = kit().failing("text.sign", "ink ran out")) {
            WorkflowRun run = kit.start("greeting", "card-3", Map.of("name", "Linus"));

            assertThat(run.status()).isEqualTo(InstanceStatus.FAILED);
            assertThat(run.failure()).contains("no signature").contains("ink ran out");
        }
    }
}
