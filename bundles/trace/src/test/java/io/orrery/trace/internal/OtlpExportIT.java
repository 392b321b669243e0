package io.orrery.trace.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import com.sun.net.httpserver.HttpServer;
import io.orrery.api.trace.TraceContext;
import io.orrery.api.trace.TraceSpan;
import io.orrery.cluster.ClusterMembers;
import io.orrery.cluster.MemberSettings;
import io.orrery.cluster.testing.LoopbackMembers;
import io.orrery.store.JdbcStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Spans exported over OTLP/HTTP to a collector's endpoint (a loopback HTTP server standing for the collector, which
 * reads what arrives), while Orrery keeps them as before; and a malformed endpoint refused by name.
 */
class OtlpExportIT {

    private HazelcastInstance member;
    private JdbcStore store;
    private HttpServer collector;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private record Received(String path, String contentType, byte[] body) {
    }

    @BeforeEach
    void start() throws IOException {
        String cluster = "orrery-otlp-test-" + UUID.randomUUID();
        member = LoopbackMembers.onFreePort(port -> ClusterMembers.start(new MemberSettings(cluster, port,
                List.of("127.0.0.1:" + port), "127.0.0.1", 0, 0)));
        store = JdbcStore.open("jdbc:h2:mem:otlp-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/", exchange -> {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            exchange.getRequestBody().transferTo(body);
            received.add(new Received(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body.toByteArray()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
    }

    @AfterEach
    void stop() {
        collector.stop(0);
        member.shutdown();
        store.close();
    }

    @Test
    void spansReachTheCollectorAndStayReadableInOrrery() throws Exception {
        String endpoint = "http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/traces";
        SpanRecording recording = new SpanRecording(member, store, config(endpoint));
        TraceContext trace;
        try {
            try (TraceSpan request = recording.start("POST /instances", "acme", null)) {
                trace = request.context();
                recording.start("rule encode-chunks", "acme", trace).close();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> recording.spans("acme", trace.traceId()).size() == 2);
        } finally {
            recording.deactivate(); // flushes the batch still queued for the collector
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty());
        Received first = received.get(0);
        assertThat(first.path()).isEqualTo("/v1/traces");
        assertThat(first.contentType()).isEqualTo("application/x-protobuf");
        byte[] all = received.stream().map(Received::body).reduce(new byte[0], OtlpExportIT::concat);
        // Protobuf carries strings as UTF-8 and ids as raw bytes: both spans' names and the trace's id are there.
        assertThat(contains(all, "POST /instances".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(contains(all, "rule encode-chunks".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(contains(all, "acme".getBytes(StandardCharsets.UTF_8))).as("the tenant attribute").isTrue();
        assertThat(contains(all, HexFormat.of().parseHex(trace.traceId()))).isTrue();
    }

    @Test
    void anEndpointThatIsNotAnHttpUrlIsRefusedByName() {
        assertThatThrownBy(() -> new SpanRecording(member, store, config("collector:4318")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("otlpEndpoint")
                .hasMessageContaining("collector:4318");
    }

    /** The trace configuration at its defaults, but for the endpoint. */
    private static SpanRecording.Config config(String endpoint) {
        return TraceConfig.with(Map.of("otlpEndpoint", endpoint));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
