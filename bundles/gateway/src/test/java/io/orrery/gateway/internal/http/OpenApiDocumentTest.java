package io.orrery.gateway.internal.http;

import static io.orrery.gateway.internal.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orrery.gateway.internal.GatewayFixture;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/openapi.json}: generated from the REST DSL, with parameters, answers and the bearer scheme. */
class OpenApiDocumentTest {

    private static GatewayFixture gateway;
    private static JsonNode document;

    @BeforeAll
    static void start() throws Exception {
        gateway = GatewayFixture.start();
        HttpResponse<String> response = gateway.get("/openapi.json", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        document = json(response);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void listsEveryEndpointOfTheGateway() {
        JsonNode paths = document.path("paths");
        assertThat(paths.has("/tenants/{tenant}/bundles")).isTrue();
        assertThat(paths.has("/tenants/{tenant}/bundles/dry-run")).isTrue();
        assertThat(paths.has("/tenants/{tenant}/workflows")).isTrue();
        assertThat(paths.path("/tenants/{tenant}/workflows/{workflow}/instances").has("post")).isTrue();
        assertThat(paths.path("/tenants/{tenant}/workflows/{workflow}/instances").has("get")).isTrue();
        assertThat(paths.has("/tenants/{tenant}/workflows/{workflow}/instances/{key}")).isTrue();
        assertThat(paths.has("/tenants/{tenant}/workflows/{workflow}/instances/{key}/retry")).isTrue();
        assertThat(paths.has("/health")).isTrue();
    }

    @Test
    void everySchemaReferenceResolves() {
        JsonNode schemas = document.path("components").path("schemas");
        java.util.regex.Matcher refs = java.util.regex.Pattern.compile("\"\\$ref\":\"([^\"]+)\"").matcher(document.toString());
        while (refs.find()) {
            assertThat(refs.group(1)).startsWith("#/components/schemas/");
            assertThat(schemas.has(refs.group(1).substring("#/components/schemas/".length()))).as(refs.group(1)).isTrue();
        }
    }

    @Test
    void describesParametersAnswersAndTheBearerScheme() {
        JsonNode create = document.path("paths").path("/tenants/{tenant}/workflows/{workflow}/instances").path("post");
        assertThat(names(create.path("parameters"))).contains("tenant", "workflow", "Idempotency-Key", "traceparent");
        assertThat(create.path("requestBody").toString()).contains("#/components/schemas/CreateInstanceBody");
        assertThat(document.path("components").path("schemas").path("CreateInstanceBody").path("properties")
                .has("priority")).isTrue();
        assertThat(document.path("components").path("schemas").path("InstanceDetail").path("properties")
                .has("recentFirings")).isTrue();
        assertThat(create.path("responses").has("202")).isTrue();
        assertThat(create.path("responses").has("401")).isTrue();
        assertThat(create.path("responses").has("413")).isTrue();
        assertThat(create.path("responses").path("400").toString()).contains("#/components/schemas/ProblemDocument");

        JsonNode show = document.path("paths").path("/tenants/{tenant}/workflows/{workflow}/instances/{key}").path("get");
        assertThat(names(show.path("parameters"))).contains("wait", "key");
        assertThat(create.path("security").toString()).contains("bearer");
        assertThat(document.path("components").path("securitySchemes").path("bearer").path("scheme").asText())
                .isEqualTo("bearer");
    }

    private static List<String> names(JsonNode parameters) {
        List<String> names = new ArrayList<>();
        parameters.forEach(p -> names.add(p.path("name").asText()));
        return names;
    }
}
