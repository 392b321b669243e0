package io.orrery.camel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.kafka.KafkaConnection;
import java.lang.annotation.Annotation;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CamelRuntimeTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private CamelContext camel;
    private int port;

    @BeforeEach
    void start() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        camel = CamelRuntime.createContext(config(port), new FixedKafka(), getClass().getClassLoader());
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void servesContributedRestRoutesAndTheirOpenApiDocument() throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                rest("/ping").get().id("ping").produces("text/plain").to("direct:ping");
                from("direct:ping").routeId("ping-reply").setBody(constant("pong"));
            }
        });

        HttpResponse<String> ping = get("/api/v1/ping");
        assertThat(ping.statusCode()).isEqualTo(200);
        assertThat(ping.body()).isEqualTo("pong");

        HttpResponse<String> openapi = get("/api/v1/openapi.json");
        assertThat(openapi.statusCode()).isEqualTo(200);
        assertThat(openapi.body()).contains("\"/ping\"").contains("Orrery");
    }

    @Test
    void preconfiguresTheKafkaComponentWithTheNodesBrokers() {
        var kafka = camel.getComponent("kafka", org.apache.camel.component.kafka.KafkaComponent.class);
        assertThat(kafka.getConfiguration().getBrokers()).isEqualTo("127.0.0.1:1");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static final class FixedKafka implements KafkaConnection {
        @Override
        public String bootstrapServers() {
            return "127.0.0.1:1";
        }

        @Override
        public boolean devBroker() {
            return false;
        }
    }

    static CamelRuntime.Config config(int port) {
        return new CamelRuntime.Config() {
            @Override public int port() { return port; }
            @Override public String host() { return "127.0.0.1"; }
            @Override public String contextPath() { return "/api/v1"; }
            @Override public String keystore() { return ""; }
            @Override public String keystorePassword() { return ""; }
            @Override public String keystoreType() { return "PKCS12"; }
            @Override public String trustedProxies() { return ""; }
            @Override public Class<? extends Annotation> annotationType() { return CamelRuntime.Config.class; }
        };
    }
}
