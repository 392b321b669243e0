package io.orrery.camel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.cluster.testing.LoopbackMembers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

/** The node's Camel in tests: a port taken between choosing it and Jetty binding it does not fail the test. */
class NodeCamelTest {

    @Test
    void aNodeWhosePortWasTakenBeforeJettyBoundItServesOnAnother() throws Exception {
        List<Integer> offered = new ArrayList<>();
        List<ServerSocket> squatters = new ArrayList<>();
        CamelContext camel = null;
        try {
            camel = LoopbackMembers.onFreePort(port -> {
                offered.add(port);
                if (offered.size() == 1) { // taken between choosing it and binding it
                    squatters.add(listenOn(port));
                }
                return NodeCamel.serving(port, "127.0.0.1:1", Map.of(), List.of(CamelRuntimeTest.ping()));
            });

            assertThat(offered).hasSize(2).doesNotHaveDuplicates();
            assertThat(camel.getRestConfiguration().getPort()).isEqualTo(offered.get(1));
            HttpResponse<String> pong = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + offered.get(1) + "/api/v1/ping")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(pong.statusCode()).isEqualTo(200);
            assertThat(pong.body()).isEqualTo("pong");
        } finally {
            for (ServerSocket squatter : squatters) {
                squatter.close();
            }
            if (camel != null) {
                camel.stop();
            }
        }
    }

    private static ServerSocket listenOn(int port) {
        try {
            return new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
