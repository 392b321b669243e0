package io.orrery.shell.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.engine.InstanceStatus;
import io.orrery.shell.TerminalText;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Workflow names, rules, keys, inputs and failures chosen by a tenant to attack the administrator's terminal. */
class HostileTenantTextTest {

    private static final String CLEAR_SCREEN = "\u001b[2J";
    private static final String KEY = "k" + CLEAR_SCREEN + "\u001b]52;c;Y3VybA==\u0007";
    private static final String FAILURE = "boom\n  Status   IDLE (completed)\u001b[8m\u202e";

    private final InMemoryEngine engine = new InMemoryEngine()
            .workflow("acme", "evil" + CLEAR_SCREEN, 1, "rule\u009b31m")
            .instance("acme", "encode-video", "v1", InstanceStatus.IDLE, null)
            .instance("acme", "encode-video", KEY, InstanceStatus.FAILED, FAILURE);

    @Test
    void everyCommandPrintsTenantTextEscaped() throws Exception {
        WorkflowListCommand workflows = new WorkflowListCommand();
        workflows.tenant = "acme";
        InstanceListCommand list = new InstanceListCommand();
        list.tenant = "acme";
        list.workflow = "encode-video";
        InstanceShowCommand show = new InstanceShowCommand();
        show.tenant = "acme";
        show.workflow = "encode-video";
        show.key = KEY;
        InstanceRetryCommand retry = new InstanceRetryCommand();
        retry.tenant = "acme";
        retry.workflow = "encode-video";
        retry.key = KEY;

        List<String> outputs = new ArrayList<>();
        for (WorkflowCommandSupport command : List.of(workflows, list, show, retry)) {
            String out = run(command);
            assertThat(out.chars().filter(c -> c != '\n' && TerminalText.isUnsafe((char) c)))
                    .as(command.getClass().getSimpleName() + " printed " + out).isEmpty();
            outputs.add(out);
        }
        assertThat(outputs.get(0)).contains("evil\\u001b[2J", "rule\\u009b31m");
        assertThat(outputs.get(3)).startsWith("Instance acme/encode-video/k\\u001b[2J");
        List<String> shown = outputs.get(2).lines().toList();
        assertThat(shown.get(0)).isEqualTo("Instance acme/encode-video/k\\u001b[2J\\u001b]52;c;Y3VybA==\\u0007");
        assertThat(shown).contains("  Failure  boom\\n  Status   IDLE (completed)\\u001b[8m\\u202e")
                .contains("  Input    {\"source\":\"s3://k\\u001b[2J\\u001b]52;c;Y3VybA==\\u0007\"}")
                .doesNotContain("  Status   IDLE (completed)");
    }

    @Test
    void keysTheTerminalCannotShowAreNotOfferedForCompletion() {
        InstanceKeyCompleter keys = new InstanceKeyCompleter();
        keys.engine = engine;
        WorkflowNameCompleter workflows = new WorkflowNameCompleter();
        workflows.engine = engine;
        List<String> candidates = new ArrayList<>();
        List<String> names = new ArrayList<>();

        keys.complete(null, TypedLine.of("orrery:instance-show", "acme", "encode-video", ""), candidates);
        workflows.complete(null, TypedLine.of("orrery:instance-list", "acme", ""), names);

        assertThat(candidates).extracting(String::trim).containsExactly("v1");
        assertThat(names).isEmpty();
    }

    private String run(WorkflowCommandSupport command) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        command.execute(engine, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
