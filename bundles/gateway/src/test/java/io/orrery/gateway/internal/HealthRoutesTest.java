package io.orrery.gateway.internal;

import static io.orrery.gateway.internal.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orrery.api.health.ComponentHealth;
import io.orrery.api.health.HealthIndicator;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /health}: status for anyone, details (addresses, members, errors) for the administrator only. */
class HealthRoutesTest {

    private final List<HealthIndicator> indicators = new CopyOnWriteArrayList<>();
    private GatewayFixture gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = GatewayFixture.with().health(indicators).start();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void answers200WithDetailsForTheAdministrator() {
        allUp();

        HttpResponse<String> response = gateway.get("/health", gateway.admin.token());
        JsonNode body = json(response);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(response.headers().firstValue("Authorization")).isEmpty();
        assertThat(body.path("status").asText()).isEqualTo("UP");
        assertThat(body.path("components").path("hazelcast").path("members").toString()).contains("127.0.0.1:5801");
        assertThat(body.path("components").path("store").path("product").asText()).isEqualTo("H2");
    }

    @Test
    void tellsAnonymousCallersTheStatusOnly() {
        allUp();

        HttpResponse<String> response = gateway.get("/health", null);
        JsonNode body = json(response);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body.path("status").asText()).isEqualTo("UP");
        assertThat(body.path("components").path("kafka").path("status").asText()).isEqualTo("UP");
        assertThat(response.body()).doesNotContain("127.0.0.1").doesNotContain("members").doesNotContain("bootstrap")
                .doesNotContain("H2");
    }

    @Test
    void tellsATenantTheStatusOnly() {
        allUp();

        HttpResponse<String> response = gateway.get("/health", gateway.acme.token());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).doesNotContain("127.0.0.1").doesNotContain("members");
    }

    @Test
    void refusesAnInvalidToken() {
        allUp();

        HttpResponse<String> response = gateway.get("/health", "not-a-token");

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void answers503NamingTheFailingComponentToTheAdministratorOnly() {
        indicators.add(fixed(ComponentHealth.up("hazelcast", Map.of("members", 1))));
        indicators.add(fixed(ComponentHealth.down("kafka", "unreachable at 10.1.2.3:9092")));
        indicators.add(fixed(ComponentHealth.up("store", Map.of("product", "H2"))));
        indicators.add(fixed(ComponentHealth.up("queue", Map.of())));
        indicators.add(fixed(ComponentHealth.up("engine", Map.of())));

        HttpResponse<String> admin = gateway.get("/health", gateway.admin.token());
        HttpResponse<String> anonymous = gateway.get("/health", null);

        assertThat(admin.statusCode()).isEqualTo(503);
        assertThat(json(admin).path("status").asText()).isEqualTo("DOWN");
        assertThat(json(admin).path("failing").get(0).asText()).isEqualTo("kafka");
        assertThat(json(admin).path("components").path("kafka").path("error").asText()).contains("10.1.2.3:9092");
        assertThat(anonymous.statusCode()).isEqualTo(503);
        assertThat(json(anonymous).path("components").path("kafka").path("status").asText()).isEqualTo("DOWN");
        assertThat(anonymous.body()).doesNotContain("10.1.2.3");
    }

    @Test
    void countsAComponentWithNoIndicatorAsDown() {
        indicators.add(fixed(ComponentHealth.up("hazelcast", Map.of("members", 1))));

        HttpResponse<String> response = gateway.get("/health", gateway.admin.token());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response).path("failing").toString()).contains("kafka").contains("store");
    }

    /** A node whose connections are up but whose queues are still being read back, and engine not started, is not UP. */
    @Test
    void countsQueuesAndEngineNotYetStartedAsDown() {
        indicators.add(fixed(ComponentHealth.up("hazelcast", Map.of("members", 1))));
        indicators.add(fixed(ComponentHealth.up("kafka", Map.of("bootstrap", "127.0.0.1:9092"))));
        indicators.add(fixed(ComponentHealth.up("store", Map.of("product", "H2"))));

        HttpResponse<String> response = gateway.get("/health", gateway.admin.token());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response).path("failing").toString()).isEqualTo("[\"engine\",\"queue\"]");
        assertThat(json(response).path("components").path("queue").path("error").asText()).isEqualTo("not started");
    }

    @Test
    void answersStatusOnlyOnANodeWithoutTheGatewaysServices() throws Exception {
        org.apache.camel.CamelContext camel = io.orrery.cluster.testing.LoopbackMembers.onFreePort(p ->
                io.orrery.camel.internal.NodeCamel.serving(p, "127.0.0.1:1", Map.of(), List.of(new HealthRoutes(null,
                        List.of(fixed(ComponentHealth.up("kafka", Map.of("bootstrap", "10.9.8.7:9092"))))))));
        int port = camel.getRestConfiguration().getPort();
        try {
            String url = "http://127.0.0.1:" + port + "/api/v1/health";
            HttpResponse<String> anonymous = gateway.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                    .build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> withToken = gateway.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                    .header("Authorization", "Bearer " + gateway.admin.token()).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(anonymous.statusCode()).isEqualTo(503);
            assertThat(json(anonymous).path("components").path("store").path("status").asText()).isEqualTo("DOWN");
            assertThat(anonymous.body()).doesNotContain("10.9.8.7");
            assertThat(withToken.statusCode()).isEqualTo(503);
            assertThat(withToken.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        } finally {
            camel.stop();
        }
    }

    private void allUp() {
        indicators.add(fixed(ComponentHealth.up("hazelcast", Map.of("members", List.of("127.0.0.1:5801")))));
        indicators.add(fixed(ComponentHealth.up("kafka", Map.of("bootstrap", "127.0.0.1:9092"))));
        indicators.add(fixed(ComponentHealth.up("store", Map.of("product", "H2"))));
        indicators.add(fixed(ComponentHealth.up("queue", Map.of("persistence", "write-behind"))));
        indicators.add(fixed(ComponentHealth.up("engine", Map.of("lanes", 2))));
    }

    private static HealthIndicator fixed(ComponentHealth health) {
        return new HealthIndicator() {
            @Override public String component() { return health.component(); }
            @Override public ComponentHealth check() { return health; }
        };
    }
}
