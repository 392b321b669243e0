package io.orrery.api.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class WorkflowDefinitionTest {

    /**
     * Instance ids are tenant/workflow/key. With a '/' allowed in a workflow's name, workflow "a/b" with key "k" and
     * workflow "a" with key "b/k" of one tenant would be the same instance, and a scan of workflow "a" would find
     * "a/b"'s instances.
     */
    @Test
    void aNameWithASlashIsRefusedNamingTheRule() {
        assertThatThrownBy(() -> new WorkflowDefinition("a/b", 1, List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("workflow 'a/b': a name must not be blank or contain '/'");
        assertThatThrownBy(() -> new WorkflowDefinition(" ", 1, List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new WorkflowDefinition("encode-video.v2_x", 1, List.of(), List.of()).name())
                .isEqualTo("encode-video.v2_x");
    }
}
