package io.orrery.gateway.internal.http;

import static io.orrery.gateway.internal.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.orrery.gateway.internal.GatewayFixture;
import io.orrery.gateway.schema.ProblemDocument;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A handler whose stack overflows fails its request only: the caller gets the gateway's problem document of an
 * internal error, with an error id, the trace context and no stack trace; the exchange completes (nothing is left
 * in flight in Camel) and the gateway goes on answering.
 */
class HandlerStackOverflowTest {

    private static GatewayFixture gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = GatewayFixture.start();
        gateway.engine.recurseEndlessly("beta").deploy("acme", "transcode", 1);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void aStackOverflowInAHandlerAnswersAnInternalErrorProblemWithoutTheStackTrace() {
        HttpResponse<String> response = gateway.get("/tenants/beta/workflows", gateway.beta.token());

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith(ProblemDocument.MEDIA_TYPE));
        JsonNode problem = json(response);
        assertThat(problem.path("type").asText()).isEqualTo("urn:orrery:problem:internal");
        assertThat(problem.path("status").asInt()).isEqualTo(500);
        assertThat(problem.path("detail").asText()).startsWith("the server failed to answer; quote error id ");
        assertThat(response.headers().firstValue(RequestTrace.HEADER)).isPresent();
        assertThat(response.body()).doesNotContain("StackOverflowError").doesNotContain("\tat ")
                .doesNotContain("FakeWorkflowEngine");
    }

    @Test
    void theGatewayAnswersOtherRequestsAfterAHandlersStackOverflowed() {
        for (int i = 0; i < 3; i++) {
            assertThat(gateway.get("/tenants/beta/workflows", gateway.beta.token()).statusCode()).isEqualTo(500);
        }

        HttpResponse<String> response = gateway.get("/tenants/acme/workflows", gateway.acme.token());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("items").findValuesAsText("name")).containsExactly("transcode");
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.camel.getInflightRepository().size() == 0);
    }
}
