package io.orrery.gateway.internal.http;

import static io.orrery.gateway.internal.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orrery.gateway.internal.GatewayFixture;
import io.orrery.gateway.internal.RawHttp;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the HTTP listener answers before any endpoint runs: unknown paths, wrong methods and unparsable requests get
 * problem documents, never Jetty's HTML or an empty body, and no answer names the server software.
 */
class ApiSurfaceTest {

    private static GatewayFixture gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = GatewayFixture.start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/nothing-here", "/api/v1/tenants/acme/nothing", "/elsewhere", "/",
            "/api/v1/tenants/acme/workflows/w/instances/k/retry/more"})
    void unknownPathsAnswerAProblemDocument(String path) throws Exception {
        HttpResponse<String> response = gateway.http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.port + path)).header("Accept", "text/html").GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
        assertProblem(response, 404);
    }

    @Test
    void aWrongMethodAnswers405NamingTheAllowedOnes() throws Exception {
        HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(
                URI.create(gateway.url("/tenants/acme/workflows"))).DELETE(), gateway.acme.token());

        assertThat(response.statusCode()).isEqualTo(405);
        assertProblem(response, 405);
        assertThat(response.headers().firstValue("Allow")).hasValueSatisfying(allow ->
                assertThat(allow).contains("GET").doesNotContain("DELETE"));
    }

    @Test
    void aPutOnACollectionAnswers405WithBothMethods() throws Exception {
        HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(
                URI.create(gateway.url("/tenants/acme/workflows/w/instances")))
                .PUT(HttpRequest.BodyPublishers.ofString("{}")), gateway.acme.token());

        assertThat(response.statusCode()).isEqualTo(405);
        assertProblem(response, 405);
        assertThat(response.headers().firstValue("Allow")).hasValueSatisfying(allow ->
                assertThat(allow).contains("GET").contains("POST"));
    }

    @Test
    void noAnswerNamesTheServerSoftware() throws Exception {
        for (HttpResponse<String> response : new HttpResponse[] {gateway.get("/health", null),
                gateway.get("/tenants/acme/workflows", gateway.acme.token()), gateway.get("/nope", null),
                gateway.get("/tenants/acme/workflows", "wrong")}) {
            assertThat(response.headers().firstValue("Server")).as(response.uri().toString()).isEmpty();
            assertThat(response.headers().firstValue("X-Powered-By")).isEmpty();
        }
    }

    @Test
    void aRequestJettyCannotParseAnswersAProblemDocument() throws Exception {
        RawHttp.Answer answer = RawHttp.send(gateway.port, ("GET /api/v1/health HTTP/1.1\r\nHost: x\r\n"
                + "Bad Header Without Colon\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), null);

        assertThat(answer.status()).as(answer.head() + "\n" + answer.body()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).as(answer.head() + "\n" + answer.body()).isNotNull();
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.header("Server")).isNull();
        assertThat(answer.body()).contains("\"status\":400");
    }

    /**
     * Jetty closes the connection after a request it could not parse: the answer must say so, or a client that keeps
     * connections open sends its next request into the closing one and gets no answer at all.
     */
    @ParameterizedTest
    @ValueSource(strings = {"GET /api/v1/tenants/%00/workflows HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nBad Header Without Colon\r\n\r\n"})
    void theAnswerToARequestJettyCannotParseSaysTheConnectionCloses(String request) throws Exception {
        RawHttp.Answer answer = RawHttp.send(gateway.port, request.getBytes(StandardCharsets.ISO_8859_1), null);

        assertThat(answer.status()).as(answer.head()).isEqualTo(400);
        assertThat(answer.header("Connection")).as(answer.head()).isEqualTo("close");
    }

    @Test
    void aBodyCutShortOnARouteCamelCachesIsA400NamingTheBody() throws Exception {
        // the OpenAPI document's route is Camel's own: Camel reads the body into its stream cache, not RequestBody
        RawHttp.Answer answer = RawHttp.send(gateway.port, ("GET /api/v1/openapi.json HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nContent-Length: 100\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1), "{\"cut\":".getBytes(StandardCharsets.US_ASCII));

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(JsonBody.MAPPER.readTree(answer.body()).path("errors").path(0).path("field").asText())
                .isEqualTo("body");
    }

    @Test
    void pathVariablesComeFromThePathDecodedAndNotFromHeaders() {
        HttpResponse<String> spoofed = gateway.send(HttpRequest.newBuilder(URI.create(gateway.url("/tenants/acme/workflows")))
                .header("tenant", "beta").GET(), gateway.acme.token());
        HttpResponse<String> encoded = gateway.get("/tenants/%61cme/workflows", gateway.acme.token());
        HttpResponse<String> foreign = gateway.get("/tenants/beta/workflows?tenant=acme", gateway.acme.token());

        assertThat(spoofed.statusCode()).isEqualTo(200);
        assertThat(encoded.statusCode()).isEqualTo(200);
        assertThat(foreign.statusCode()).isIn(400, 404);
    }

    @Test
    void queryParametersAreCheckedNamedAndSingle() throws Exception {
        String list = "/tenants/acme/workflows/w/instances";
        HttpResponse<String> unknown = gateway.get(list + "?colour=red", gateway.acme.token());
        HttpResponse<String> twice = gateway.get(list + "?limit=1&limit=2", gateway.acme.token());
        RawHttp.Answer badEscape = RawHttp.send(gateway.port, ("GET /api/v1" + list + "?cursor=%zz HTTP/1.1\r\n"
                + "Host: x\r\nAuthorization: Bearer " + gateway.acme.token() + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1), null);

        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown).path("errors").get(0).path("field").asText()).isEqualTo("colour");
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(json(twice).path("errors").get(0).path("field").asText()).isEqualTo("limit");
        assertThat(badEscape.status()).isEqualTo(400);
        assertThat(badEscape.header("Content-Type")).startsWith("application/problem+json");
    }

    private static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = json(response);
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("type").asText()).startsWith("urn:orrery:problem:");
    }
}
