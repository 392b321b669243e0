package io.orrery.camel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.kafka.KafkaConnection;
import java.lang.annotation.Annotation;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CamelRuntimeTest {

    /** Contexts on fresh ports when Jetty found the port taken (it binds when the first REST route starts). */
    private static final int BIND_TRIES = 5;

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
        serve(CamelRuntimeTest::ping);

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

    @Test
    void aPortTakenBeforeJettyBoundItIsReplacedByAFreshOne() throws Exception {
        int taken = port;
        try (ServerSocket squatter = new ServerSocket(taken, 50, InetAddress.getByName("127.0.0.1"))) {
            serve(CamelRuntimeTest::ping);

            assertThat(port).isNotEqualTo(taken);
            assertThat(get("/api/v1/ping").body()).isEqualTo("pong");
        }
    }

    /**
     * Adds the routes (a new builder each try: a builder can be added to one context only); when Jetty finds the
     * port taken meanwhile, starts the context again on a fresh port.
     */
    private void serve(Supplier<RouteBuilder> routes) throws Exception {
        for (int tries = 1; ; tries++) {
            try {
                camel.addRoutes(routes.get());
                return;
            } catch (Exception e) {
                if (tries == BIND_TRIES || !portTaken(e)) {
                    throw e;
                }
                camel.stop();
                start();
            }
        }
    }

    private static boolean portTaken(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    /** A REST route answering {@code GET /ping} with {@code pong}; the node's Camel tests here serve it too. */
    static RouteBuilder ping() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                rest("/ping").get().id("ping").produces("text/plain").to("direct:ping");
                from("direct:ping").routeId("ping-reply").setBody(constant("pong"));
            }
        };
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
