package io.orrery.gateway.internal.ingest;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real single-node KRaft broker for tests, run in a forked JVM from the jars the dev broker module collects
 * ({@code kafka-dev/target/lib}, located by system property {@code orrery.kafka.dev.lib}). Forked rather than in
 * this JVM because the broker brings kafka-clients 4.x, while camel-kafka here runs on 3.9.1. Same settings as the
 * distribution's {@code bin/kafka-dev}; free ports on 127.0.0.1 and a temporary data directory. A broker that exits
 * because one of its ports was taken between choosing and binding it is started again on fresh ports.
 */
final class KafkaTestBroker implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** Starts on fresh ports when a port was taken (each failed start costs a few seconds). */
    private static final int START_TRIES = 3;
    /** How the JDK's bind failure reads in the broker's log. */
    private static final String PORT_TAKEN = "already in use";

    private final Path home;
    private final int port;
    private final Process process;

    private KafkaTestBroker(Path home, int port, Process process) {
        this.home = home;
        this.port = port;
        this.process = process;
    }

    static KafkaTestBroker start() throws Exception {
        return start(() -> freePorts(2)); // distinct: Kafka refuses two listeners on one port
    }

    /** As {@link #start()}, on the ports {@code ports} hands out (broker, controller), new ones after a port taken. */
    static KafkaTestBroker start(Callable<int[]> ports) throws Exception {
        for (int tries = 1; ; tries++) {
            try {
                return startOn(ports.call());
            } catch (IllegalStateException e) {
                if (tries == START_TRIES || !String.valueOf(e.getMessage()).contains(PORT_TAKEN)) {
                    throw e;
                }
            }
        }
    }

    private static KafkaTestBroker startOn(int[] ports) throws Exception {
        Path lib = Path.of(System.getProperty("orrery.kafka.dev.lib", "../../kafka-dev/target/lib")).toAbsolutePath().normalize();
        if (!Files.isDirectory(lib) || !Files.exists(lib.resolve("kafka_2.13-" + brokerVersion(lib) + ".jar"))) {
            throw new IllegalStateException("No broker jars in " + lib + ": build the dev broker module first "
                    + "(./mvnw -pl bundles/gateway -am install builds it)");
        }
        Path home = Files.createTempDirectory("orrery-kafka-test");
        int port = ports[0];
        int controller = ports[1];
        Path properties = home.resolve("server.properties");
        Files.writeString(properties, String.join("\n",
                "process.roles=broker,controller", "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controller,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER", "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + home.resolve("logs"), "num.partitions=1",
                "offsets.topic.replication.factor=1", "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1", "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=true", ""));
        String classpath = lib + File.separator + "*";
        run(home, List.of(java(), "-cp", classpath, "kafka.tools.StorageTool", "format", "-t", clusterId(),
                "-c", properties.toString()));
        Path log = home.resolve("broker.log");
        Process process = new ProcessBuilder(java(), "-Xms128m", "-Xmx512m",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-cp", classpath, "kafka.Kafka", properties.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        KafkaTestBroker broker = new KafkaTestBroker(home, port, process);
        try {
            broker.awaitStarted(log);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    private void awaitStarted(Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
            if (text.contains("Kafka Server started")) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka broker exited"
                        + (text.contains(PORT_TAKEN) ? " (a port was " + PORT_TAKEN + ")" : "") + ": " + tail(text));
            }
            process.waitFor(200, TimeUnit.MILLISECONDS);
        }
        throw new IllegalStateException("Kafka broker did not start within " + START_TIMEOUT);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(Path home, List<String> command) throws IOException, InterruptedException {
        Path out = home.resolve("format.log");
        Process format = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new IllegalStateException("Formatting the broker's storage failed: " + Files.readString(out));
        }
    }

    /** A cluster id as Kafka writes them: 16 random bytes, URL-safe base64, not starting with '-'. */
    private static String clusterId() {
        SecureRandom random = new SecureRandom();
        byte[] bytes = new byte[16];
        String id;
        do {
            random.nextBytes(bytes);
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        } while (id.startsWith("-"));
        return id;
    }

    private static String brokerVersion(Path lib) throws IOException {
        try (Stream<Path> jars = Files.list(lib)) {
            return jars.map(p -> p.getFileName().toString()).filter(n -> n.matches("kafka_2\\.13-[0-9.]+\\.jar"))
                    .map(n -> n.substring("kafka_2.13-".length(), n.length() - ".jar".length()))
                    .findFirst().orElse("none");
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code n} distinct free ports: each socket stays open until all are taken, so none is handed out twice. */
    static int[] freePorts(int n) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                sockets.add(new ServerSocket(0));
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    private static String tail(String text) {
        return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
    }
}
