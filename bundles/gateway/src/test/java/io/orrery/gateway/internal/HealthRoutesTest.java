package io.orrery.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orrery.api.health.ComponentHealth;
import io.orrery.api.health.HealthIndicator;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HealthRoutesTest {

    private final List<HealthIndicator> indicators = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private DefaultCamelContext camel;
    private int port;

    @BeforeEach
    void start() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        camel = new DefaultCamelContext();
        camel.getRestConfiguration().setComponent("jetty");
        camel.getRestConfiguration().setHost("127.0.0.1");
        camel.getRestConfiguration().setPort(port);
        camel.getRestConfiguration().setContextPath("/api/v1");
        camel.addRoutes(new HealthRoutes(indicators));
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void answers200WhenEveryComponentIsUp() throws Exception {
        indicators.add(fixed(ComponentHealth.up("hazelcast", Map.of("members", 2))));
        indicators.add(fixed(ComponentHealth.up("kafka", Map.of("bootstrap", "127.0.0.1:9092"))));
        indicators.add(fixed(ComponentHealth.up("store", Map.of("product", "H2"))));

        HttpResponse<String> response = get("/api/v1/health", "Bearer secret");
        JsonNode body = JsonResponse.MAPPER.readTree(response.body());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(response.headers().firstValue("Authorization")).isEmpty();
        assertThat(body.path("status").asText()).isEqualTo("UP");
        assertThat(body.path("components").path("hazelcast").path("members").asInt()).isEqualTo(2);
        assertThat(body.path("components").path("store").path("product").asText()).isEqualTo("H2");
    }

    @Test
    void answers503NamingTheFailingComponent() throws Exception {
        indicators.add(fixed(ComponentHealth.up("hazelcast", Map.of("members", 1))));
        indicators.add(fixed(ComponentHealth.down("kafka", "unreachable at 127.0.0.1:9092")));
        indicators.add(fixed(ComponentHealth.up("store", Map.of("product", "H2"))));

        HttpResponse<String> response = get("/api/v1/health", null);
        JsonNode body = JsonResponse.MAPPER.readTree(response.body());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(body.path("status").asText()).isEqualTo("DOWN");
        assertThat(body.path("failing").get(0).asText()).isEqualTo("kafka");
        assertThat(body.path("components").path("kafka").path("error").asText()).contains("127.0.0.1:9092");
    }

    @Test
    void countsAComponentWithNoIndicatorAsDown() throws Exception {
        indicators.add(fixed(ComponentHealth.up("hazelcast", Map.of("members", 1))));

        HttpResponse<String> response = get("/api/v1/health", null);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(JsonResponse.MAPPER.readTree(response.body()).path("failing").toString())
                .contains("kafka").contains("store");
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HealthIndicator fixed(ComponentHealth health) {
        return new HealthIndicator() {
            @Override public String component() { return health.component(); }
            @Override public ComponentHealth check() { return health; }
        };
    }
}
