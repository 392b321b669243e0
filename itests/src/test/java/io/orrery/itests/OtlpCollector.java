package io.orrery.itests;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP endpoint in the test driver standing for an OpenTelemetry collector: each OTLP/HTTP export the
 * node sends to {@code /v1/traces} is written as a file under a directory the test reads from inside the
 * container. Driver only: the container does not import the JDK's HTTP server.
 */
final class OtlpCollector {

    private static HttpServer server;

    private OtlpCollector() {
    }

    /** Starts the endpoint once per driver JVM, writing what arrives under {@code dir}; answers its traces URL. */
    static synchronized String start(Path dir) {
        try {
            if (server == null) {
                Files.createDirectories(dir);
                AtomicInteger received = new AtomicInteger();
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                server.createContext("/v1/traces", exchange -> {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    Path file = dir.resolve("export-" + received.incrementAndGet() + ".pb");
                    Files.write(dir.resolve(file.getFileName() + ".part"), body);
                    Files.move(dir.resolve(file.getFileName() + ".part"), file);
                    exchange.sendResponseHeaders(200, -1);
                    exchange.close();
                });
                server.start();
            }
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
