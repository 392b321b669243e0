package io.orrery.shell.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkflowCommandsTest {

    private final InMemoryEngine engine = new InMemoryEngine()
            .workflow("acme", "encode-video", 3, "split", "encode", "assemble")
            .workflow("beta", "qc", 1, "check")
            .instance("acme", "encode-video", "v1", InstanceStatus.IDLE, null)
            .instance("acme", "encode-video", "v2", InstanceStatus.FAILED, "split failed: no such file")
            .instance("acme", "encode-video", "v3", InstanceStatus.ACTIVE, null);

    @Test
    void workflowListShowsOneTenantsWorkflows() throws Exception {
        WorkflowListCommand command = new WorkflowListCommand();
        command.tenant = "acme";

        List<String> lines = run(command);

        assertThat(lines.get(0)).contains("Tenant").contains("Workflow").contains("Version").contains("Rules");
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("encode-video").contains("3").contains("split, encode, assemble"));
        assertThat(lines).noneSatisfy(l -> assertThat(l).contains("qc"));
        assertThatThrownBy(() -> run(new WorkflowListCommand())).hasMessageContaining("Name a tenant");
    }

    @Test
    void instanceListFiltersByStatus() throws Exception {
        InstanceListCommand command = new InstanceListCommand();
        command.tenant = "acme";
        command.workflow = "encode-video";

        List<String> all = run(command);
        command.status = "failed";
        List<String> failed = run(command);

        assertThat(all).hasSize(5);
        assertThat(failed).hasSize(3);
        assertThat(failed.get(2)).contains("v2").contains("FAILED").contains("split failed");
        command.status = "DONE";
        assertThatThrownBy(() -> run(command)).hasMessageContaining("--status");
    }

    /**
     * A viewer's listing or a Tab press reads a page by key, never every instance of the workflow (a tenant may hold
     * a hundred thousand), and a page is bounded.
     */
    @Test
    void instanceListAndKeyCompletionReadAPageByKeyNotTheWholeWorkflow() throws Exception {
        engine.scansRefused = true;
        InstanceListCommand command = new InstanceListCommand();
        command.tenant = "acme";
        command.workflow = "encode-video";
        command.limit = 2;
        InstanceKeyCompleter keys = new InstanceKeyCompleter();
        keys.engine = engine;
        List<String> instanceKeys = new ArrayList<>();

        List<String> first = run(command);
        command.after = "v2";
        List<String> next = run(command);
        keys.complete(null, TypedLine.of("orrery:instance-show", "acme", "encode-video", "v"), instanceKeys);

        assertThat(first).hasSize(4);   // header, rule, two instances
        assertThat(first.get(2)).contains("v1");
        assertThat(first.get(3)).contains("v2");
        assertThat(next.get(2)).contains("v3");
        assertThat(instanceKeys).extracting(String::trim).contains("v1", "v2", "v3");
        command.limit = 100_000;
        assertThatThrownBy(() -> run(command)).hasMessageContaining("--limit must be 1 to 1000");
    }

    @Test
    void instanceShowPrintsTheInstanceFromTheInside() throws Exception {
        InstanceShowCommand command = new InstanceShowCommand();
        command.tenant = "acme";
        command.workflow = "encode-video";
        command.key = "v1";

        List<String> lines = run(command);

        assertThat(lines.get(0)).isEqualTo("Instance acme/encode-video/v1");
        assertThat(lines).contains("  Status   IDLE (completed)", "  Input    {\"source\":\"s3://v1\"}",
                "  State    {\"chunks\":[1,2]}", "  Output   {\"uri\":\"s3://out/v1\"}", "Pending calls: 1", "Recent firings: 1");
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("c-1").contains("media.encode").contains("chunk-1"));
        command.key = "nope";
        assertThatThrownBy(() -> run(command)).hasMessageContaining("No instance acme/encode-video/nope");
    }

    @Test
    void instanceRetryResumesOnlyFailedInstances() throws Exception {
        InstanceRetryCommand command = new InstanceRetryCommand();
        command.tenant = "acme";
        command.workflow = "encode-video";
        command.key = "v2";

        List<String> lines = run(command);

        assertThat(lines).containsExactly("Instance acme/encode-video/v2 was FAILED: split failed: no such file",
                "Resumed; now ACTIVE.");
        assertThat(engine.retried).containsExactly(new InstanceId("acme", "encode-video", "v2"));
        command.key = "v1";
        assertThatThrownBy(() -> run(command)).hasMessageContaining("only FAILED instances");
    }

    @Test
    void completersOfferTheWorkflowsOfTheTypedTenantAndTheKeysOfTheTypedWorkflow() {
        WorkflowNameCompleter workflows = new WorkflowNameCompleter();
        workflows.engine = engine;
        InstanceKeyCompleter keys = new InstanceKeyCompleter();
        keys.engine = engine;
        List<String> names = new ArrayList<>();
        List<String> instanceKeys = new ArrayList<>();

        workflows.complete(null, TypedLine.of("orrery:instance-list", "--status", "FAILED", "acme", "en"), names);
        keys.complete(null, TypedLine.of("orrery:instance-show", "acme", "encode-video", "v"), instanceKeys);

        assertThat(names).extracting(String::trim).containsExactly("encode-video");
        assertThat(instanceKeys).extracting(String::trim).containsExactlyInAnyOrder("v1", "v2", "v3");
    }

    @Test
    void jsonTextEscapesWhatNeedsIt() {
        assertThat(JsonText.of(java.util.Map.of("q", "a\"b\\c\n"))).isEqualTo("{\"q\":\"a\\\"b\\\\c\\n\"}");
        assertThat(JsonText.of(null)).isEqualTo("null");
    }

    private List<String> run(WorkflowCommandSupport command) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        command.execute(engine, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
