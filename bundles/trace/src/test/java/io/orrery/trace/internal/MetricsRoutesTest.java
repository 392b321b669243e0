package io.orrery.trace.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class MetricsRoutesTest {

    @Test
    void servesRecordedMetersInThePrometheusTextFormat() throws Exception {
        NodeMetrics metrics = new NodeMetrics();
        metrics.registry().counter("orrery.queue.enqueued", "queue", "acme.functions").increment(3);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.getRestConfiguration().setComponent("jetty");
        camel.getRestConfiguration().setHost("127.0.0.1");
        camel.getRestConfiguration().setPort(port);
        camel.getRestConfiguration().setContextPath("/api/v1");
        camel.addRoutes(new MetricsRoutes(metrics));
        camel.start();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("text/plain"));
            assertThat(response.body()).contains("orrery_queue_enqueued_total{queue=\"acme.functions\"} 3.0");
        } finally {
            camel.stop();
        }
    }
}
