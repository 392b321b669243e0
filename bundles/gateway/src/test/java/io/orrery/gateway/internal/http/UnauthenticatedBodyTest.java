package io.orrery.gateway.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.gateway.internal.GatewayFixture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A request with a bad token is refused before its body is read: the client declares a 60 MiB upload, sends
 * 64 KiB of it and stops; the 401 must come while the rest is still unsent, so the server neither waited for nor
 * buffered the body.
 */
class UnauthenticatedBodyTest {

    private static final long DECLARED = 60L * 1024 * 1024;

    private static GatewayFixture gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = GatewayFixture.start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void aBadTokenIsRefusedBeforeTheUploadIsRead() throws Exception {
        assertThat(statusWhileStillSending("/api/v1/tenants/acme/bundles", "Bearer not-a-token",
                "application/java-archive")).isEqualTo("HTTP/1.1 401 Unauthorized");
    }

    @Test
    void aMissingTokenIsRefusedBeforeTheBodyIsRead() throws Exception {
        assertThat(statusWhileStillSending("/api/v1/tenants/acme/workflows/w/instances", null, "application/json"))
                .isEqualTo("HTTP/1.1 401 Unauthorized");
    }

    @Test
    void anotherTenantsPathIsRefusedBeforeTheBodyIsRead() throws Exception {
        assertThat(statusWhileStillSending("/api/v1/tenants/beta/bundles", "Bearer " + gateway.acme.token(),
                "application/java-archive")).isEqualTo("HTTP/1.1 404 Not Found");
    }

    private static String statusWhileStillSending(String path, String authorization, String contentType)
            throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", gateway.port), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contentType + "\r\n"
                    + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                    + "Content-Length: " + DECLARED + "\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(new byte[64 * 1024]);
            out.flush();
            // Nothing more is sent: a server that waits for the whole body never answers, and the read times out.
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            return in.readLine();
        }
    }
}
