package io.orrery.gateway.internal.workflow;

import static io.orrery.gateway.internal.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orrery.gateway.internal.GatewayFixture;
import org.junit.jupiter.api.Test;

class WorkflowRoutesTest {

    @Test
    void listsTheTenantsWorkflowsByName() throws Exception {
        try (GatewayFixture gateway = GatewayFixture.start()) {
            gateway.engine.deploy("acme", "transcode", 2).deploy("acme", "encode-video", 3).deploy("beta", "other", 1);

            JsonNode items = json(gateway.get("/tenants/acme/workflows", gateway.acme.token())).path("items");

            assertThat(items.findValuesAsText("name")).containsExactly("encode-video", "transcode");
            assertThat(items.get(0).path("version").asInt()).isEqualTo(3);
            assertThat(items.get(0).path("rules").size()).isEqualTo(2);
            assertThat(json(gateway.get("/tenants/beta/workflows", gateway.beta.token())).path("items").size()).isEqualTo(1);
        }
    }
}
