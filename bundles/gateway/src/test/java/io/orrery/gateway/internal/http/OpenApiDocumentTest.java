package io.orrery.gateway.internal.http;

import static io.orrery.gateway.internal.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orrery.gateway.internal.GatewayFixture;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
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
    private static String text;

    @BeforeAll
    static void start() throws Exception {
        gateway = GatewayFixture.start();
        HttpResponse<String> response = gateway.get("/openapi.json", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        text = response.body();
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
        assertThat(paths.path("/tenants/{tenant}/functions").has("get")).isTrue();
        assertThat(paths.path("/tenants/{tenant}/workflows/{workflow}/instances").has("post")).isTrue();
        assertThat(paths.path("/tenants/{tenant}/workflows/{workflow}/instances").has("get")).isTrue();
        assertThat(paths.has("/tenants/{tenant}/workflows/{workflow}/instances/{key}")).isTrue();
        assertThat(paths.has("/tenants/{tenant}/workflows/{workflow}/instances/{key}/retry")).isTrue();
        assertThat(paths.path("/tenants/{tenant}/traces/{traceId}").has("get")).isTrue();
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

    @Test
    void passesAStandardValidator() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(text, null, options);

        assertThat(result.getMessages()).as(text).isEmpty();
        assertThat(result.getOpenAPI().getPaths()).isNotEmpty();
    }

    @Test
    void everyAnswerHasADescriptionAndEveryFailureDescribesAProblemDocument() {
        forEachOperation((where, operation) -> operation.path("responses").fields().forEachRemaining(answer -> {
            assertThat(answer.getValue().path("description").asText()).as(where + " " + answer.getKey()).isNotBlank();
            boolean healthReport = where.endsWith(" /health") && answer.getKey().equals("503");
            JsonNode content = answer.getValue().path("content");
            if ((answer.getKey().startsWith("4") || answer.getKey().startsWith("5")) && !healthReport) {
                assertThat(content.path("application/problem+json").path("schema").toString())
                        .as(where + " " + answer.getKey()).contains("#/components/schemas/ProblemDocument");
                assertThat(content.has("application/json")).as(where + " " + answer.getKey()).isFalse();
            } else if (content.toString().contains("#/components/schemas/ProblemDocument")) {
                throw new AssertionError(where + " " + answer.getKey() + " describes a problem document as a success");
            }
        }));
    }

    @Test
    void everyAuthenticatedOperationDocumentsRefusalsAndServerFailures() {
        forEachOperation((where, operation) -> {
            if (!operation.path("security").isEmpty()) {
                assertThat(operation.path("responses").has("401")).as(where).isTrue();
                assertThat(operation.path("responses").has("429")).as(where).isTrue();
                assertThat(operation.path("responses").path("429").path("headers").has("Retry-After")).as(where).isTrue();
            }
            assertThat(operation.path("responses").has("500")).as(where).isTrue();
            assertThat(operation.path("responses").has("503")).as(where).isTrue();
            assertThat(operation.path("responses").path("503").path("headers").has("Retry-After")).as(where).isTrue();
            assertThat(names(operation.path("parameters"))).as(where).contains("traceparent");
        });
    }

    @Test
    void documentsTheHeadersOfTheAnswers() {
        JsonNode create = document.path("paths").path("/tenants/{tenant}/workflows/{workflow}/instances").path("post");
        JsonNode accepted = create.path("responses").path("202").path("headers");
        assertThat(accepted.has("Location")).isTrue();
        assertThat(accepted.has("Idempotent-Replayed")).isTrue();
        assertThat(accepted.has("traceparent")).isTrue();
        assertThat(create.path("responses").has("413")).isTrue();
        JsonNode deployed = document.path("paths").path("/tenants/{tenant}/bundles").path("post").path("responses");
        assertThat(deployed.path("201").path("headers").has("traceparent")).isTrue();
        assertThat(deployed.has("413")).isTrue();
    }

    @Test
    void describesTheHealthDocument() {
        JsonNode health = document.path("paths").path("/health").path("get").path("responses");
        assertThat(health.path("200").toString()).contains("#/components/schemas/HealthStatus");
        assertThat(health.path("503").toString()).contains("#/components/schemas/HealthStatus");
        assertThat(health.path("503").path("content").has("application/json")).as("a health report, not a problem")
                .isTrue();
        assertThat(document.path("components").path("schemas").path("HealthStatus").path("properties")
                .has("status")).isTrue();
    }

    private static void forEachOperation(java.util.function.BiConsumer<String, JsonNode> check) {
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(
                operation -> check.accept(operation.getKey() + " " + path.getKey(), operation.getValue())));
    }

    private static List<String> names(JsonNode parameters) {
        List<String> names = new ArrayList<>();
        parameters.forEach(p -> names.add(p.path("name").asText()));
        return names;
    }
}
