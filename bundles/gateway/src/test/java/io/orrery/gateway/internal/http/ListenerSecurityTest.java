package io.orrery.gateway.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.gateway.internal.GatewayFixture;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listener's transport settings in {@code io.orrery.api}: HTTPS from a configured key store, and forwarded
 * headers believed only from configured proxies.
 */
class ListenerSecurityTest {

    private static final String PASSWORD = "store-secret";

    @TempDir
    Path dir;

    @Test
    void servesHttpsFromTheConfiguredKeyStoreAndNoPlainHttp() throws Exception {
        Path keystore = generateKeyStore(dir.resolve("api.p12"));
        try (GatewayFixture gateway = GatewayFixture.with().listener("keystore", keystore.toString())
                .listener("keystorePassword", PASSWORD).listener("keystoreType", "PKCS12").start()) {
            HttpClient client = HttpClient.newBuilder().sslContext(trusting(keystore))
                    .connectTimeout(Duration.ofSeconds(5)).build();

            HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(gateway.url("/health")))
                    .build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> workflows = client.send(HttpRequest.newBuilder(
                    URI.create(gateway.url("/tenants/acme/workflows")))
                    .header("Authorization", "Bearer " + gateway.acme.token()).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(gateway.url("/health")).startsWith("https://");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(workflows.statusCode()).isEqualTo(200);
            assertPlainHttpNotServed(gateway.port);
        }
    }

    @Test
    void ignoresForwardedHeadersFromAnUntrustedClient() throws Exception {
        try (GatewayFixture gateway = GatewayFixture.start()) {
            String document = openApiVia(gateway);

            assertThat(document).doesNotContain("evil.example").doesNotContain("phish.example");
        }
    }

    @Test
    void believesForwardedHeadersFromAConfiguredProxy() throws Exception {
        try (GatewayFixture gateway = GatewayFixture.with().listener("trustedProxies", "10.0.0.0/8, 127.0.0.1").start()) {
            String document = openApiVia(gateway);

            assertThat(document).contains("api.evil.example");
        }
    }

    /** The OpenAPI document names its server from the request, forwarded host included when believed. */
    private static String openApiVia(GatewayFixture gateway) {
        HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(URI.create(gateway.url("/openapi.json")))
                .header("X-Forwarded-Host", "api.evil.example").header("X-Forwarded-Proto", "https")
                .header("Forwarded", "for=192.0.2.7;host=phish.example;proto=https").GET(), null);
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static void assertPlainHttpNotServed(int port) throws IOException {
        io.orrery.gateway.internal.RawHttp.Answer answer = io.orrery.gateway.internal.RawHttp.send(port,
                "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(), null);
        assertThat(answer.status()).as(answer.head()).isNotEqualTo(200);
        assertThat(answer.body()).doesNotContain("\"status\":\"UP\"");
    }

    private static Path generateKeyStore(Path file) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "api",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
        assertThat(Files.size(file)).isPositive();
        return file;
    }

    private static SSLContext trusting(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return tls;
    }
}
