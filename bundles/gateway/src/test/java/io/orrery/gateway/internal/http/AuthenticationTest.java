package io.orrery.gateway.internal.http;

import static io.orrery.gateway.internal.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orrery.api.engine.InputField;
import io.orrery.gateway.internal.GatewayFixture;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bearer tokens (401) and tenant isolation (404, never 403) across the gateway's endpoints. */
class AuthenticationTest {

    private static GatewayFixture gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = GatewayFixture.start();
        gateway.engine.deploy("acme", "encode", 1, new InputField("source", String.class, false, null));
        gateway.postJson("/tenants/acme/workflows/encode/instances", gateway.acme.token(),
                "{\"key\":\"v1\",\"input\":{\"source\":\"s3://a\"}}");
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void answers401ProblemWithAChallengeWithoutAToken() {
        HttpResponse<String> response = gateway.get("/tenants/acme/workflows", null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"orrery\"");
        JsonNode problem = json(response);
        assertThat(problem.path("type").asText()).isEqualTo("urn:orrery:problem:unauthorized");
        assertThat(problem.path("title").asText()).isEqualTo("Unauthorized");
        assertThat(problem.path("status").asInt()).isEqualTo(401);
        assertThat(problem.path("detail").asText()).contains("Bearer");
        assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo("Authorization");
        assertThat(problem.path("instance").asText()).isEqualTo("/api/v1/tenants/acme/workflows");
    }

    @Test
    void answers401ForAnUnknownOrMalformedTokenOrAnotherScheme() {
        assertThat(gateway.get("/tenants/acme/workflows", "orr_notarealtokenatallxxxxxxxxxxxxxxxxxxxxxxxx").statusCode()).isEqualTo(401);
        assertThat(gateway.get("/tenants/acme/workflows", "{not a token}").statusCode()).isEqualTo(401);
        HttpResponse<String> basic = gateway.send(HttpRequest.newBuilder(URI.create(gateway.url("/tenants/acme/workflows")))
                .header("Authorization", "Basic YWNtZTpzZWNyZXQ="), null);
        assertThat(basic.statusCode()).isEqualTo(401);
        assertThat(basic.headers().firstValue("WWW-Authenticate")).isPresent();
    }

    @Test
    void refusesATokenInTheQueryString() {
        HttpResponse<String> response = gateway.get("/tenants/acme/workflows?access_token=" + gateway.acme.token(), null);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).path("detail").asText()).contains("query string");
    }

    @Test
    void aTenantSeesItsOwnResourcesAndAnotherTenantsAsMissing() {
        assertThat(gateway.get("/tenants/acme/workflows", gateway.acme.token()).statusCode()).isEqualTo(200);
        assertThat(gateway.get("/tenants/acme/workflows/encode/instances/v1", gateway.acme.token()).statusCode()).isEqualTo(200);

        for (String path : new String[] {"/tenants/acme/workflows", "/tenants/acme/workflows/encode/instances",
                "/tenants/acme/workflows/encode/instances/v1"}) {
            HttpResponse<String> foreign = gateway.get(path, gateway.beta.token());
            HttpResponse<String> missing = gateway.get(path.replace("acme", "nobody"), gateway.beta.token());
            assertThat(foreign.statusCode()).as(path).isEqualTo(404);
            assertThat(json(foreign).path("detail").asText())
                    .isEqualTo(json(missing).path("detail").asText().replace("nobody", "acme"));
        }
        HttpResponse<String> write = gateway.postJson("/tenants/acme/workflows/encode/instances", gateway.beta.token(),
                "{\"key\":\"v1\",\"input\":{\"source\":\"s3://evil\"}}");
        assertThat(write.statusCode()).isEqualTo(404);
        assertThat(gateway.post("/tenants/acme/bundles", gateway.beta.token(), "application/java-archive",
                new byte[] {'P', 'K', 3, 4}).statusCode()).isEqualTo(404);
        assertThat(gateway.engine.submissions).noneMatch(s -> s.request().input().containsValue("s3://evil"));
    }

    @Test
    void theAdministratorSeesEveryTenantButNotMadeUpOnes() {
        assertThat(gateway.get("/tenants/acme/workflows/encode/instances/v1", gateway.admin.token()).statusCode()).isEqualTo(200);
        assertThat(gateway.get("/tenants/beta/workflows", gateway.admin.token()).statusCode()).isEqualTo(200);
        assertThat(gateway.get("/tenants/nobody/workflows", gateway.admin.token()).statusCode()).isEqualTo(404);
    }

    @Test
    void neverEchoesRequestHeadersAndAlwaysAnswersATraceparent() {
        HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(URI.create(gateway.url("/tenants/acme/workflows")))
                .header("X-Secret", "hush"), gateway.acme.token());

        assertThat(response.headers().firstValue("Authorization")).isEmpty();
        assertThat(response.headers().firstValue("X-Secret")).isEmpty();
        assertThat(response.headers().firstValue("traceparent")).hasValueSatisfying(
                v -> assertThat(v).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"));
    }

    @Test
    void healthAndTheOpenApiDocumentNeedNoToken() {
        assertThat(gateway.get("/health", null).statusCode()).isIn(200, 503);
        assertThat(gateway.get("/openapi.json", null).statusCode()).isEqualTo(200);
    }
}
