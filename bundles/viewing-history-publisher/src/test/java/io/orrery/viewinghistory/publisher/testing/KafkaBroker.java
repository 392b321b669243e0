package io.orrery.viewinghistory.publisher.testing;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.awaitility.Awaitility;

/**
 * A real single-node KRaft broker in a forked JVM (the jars of {@code kafka-dev/target/lib}, named by the system
 * property {@code orrery.kafka.dev.lib}), which can be stopped and started again on the same ports and data, so a
 * test can take a cluster away and bring it back. Forked because the broker brings kafka-clients 4.x. A first start
 * that fails because one of its ports was taken between choosing and binding it is made again on fresh ports (a
 * {@link #resume} keeps its ports: clients know them).
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** First starts on fresh ports when a port was taken (each failed start costs a few seconds). */
    private static final int START_TRIES = 3;
    /** How the JDK's bind failure reads in the broker's log. */
    private static final String PORT_TAKEN = "already in use";

    private final Path home;
    private final int port;
    private final Path properties;
    private final String classpath;
    private Process process;
    private int starts;

    private KafkaBroker(Path home, int port, Path properties, String classpath) {
        this.home = home;
        this.port = port;
        this.properties = properties;
        this.classpath = classpath;
    }

    public static KafkaBroker start() throws Exception {
        return start(() -> freePorts(2)); // distinct: Kafka refuses two listeners on one port
    }

    /** As {@link #start()}, on the ports {@code ports} hands out (broker, controller), new ones after a port taken. */
    static KafkaBroker start(Supplier<int[]> ports) throws Exception {
        for (int tries = 1; ; tries++) {
            try {
                return startOn(ports.get());
            } catch (IllegalStateException e) {
                if (tries == START_TRIES || !String.valueOf(e.getMessage()).contains(PORT_TAKEN)) {
                    throw e;
                }
            }
        }
    }

    private static KafkaBroker startOn(int[] ports) throws Exception {
        Path lib = Path.of(System.getProperty("orrery.kafka.dev.lib", "../../kafka-dev/target/lib"))
                .toAbsolutePath().normalize();
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException("No broker jars in " + lib + ": build the kafka-dev module first");
        }
        Path home = Files.createTempDirectory("orrery-vh-kafka");
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
                "log.dirs=" + home.resolve("logs"), "num.partitions=3",
                "offsets.topic.replication.factor=1", "offsets.topic.num.partitions=3",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1", "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=true", ""));
        String classpath = lib + File.separator + "*";
        Process format = new ProcessBuilder(java(), "-cp", classpath, "kafka.tools.StorageTool", "format", "-t",
                clusterId(), "-c", properties.toString()).redirectErrorStream(true)
                .redirectOutput(home.resolve("format.log").toFile()).start();
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new IllegalStateException("Formatting failed: " + Files.readString(home.resolve("format.log")));
        }
        KafkaBroker broker = new KafkaBroker(home, port, properties, classpath);
        try {
            broker.resume();
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /**
     * Creates a topic and returns once the broker leads every one of its partitions. The controller answers the
     * creation before the broker has taken up the new partitions' leadership (later still on a loaded machine), and a
     * producer whose first send to a partition meets "not leader" can stay stuck on that partition: the idempotent
     * producer of kafka-clients 3.9 then had each retry refused as out of sequence until its delivery timeout
     * (120 s) dropped the records. A partition answers a latest-offset request only from its leader, so once all of
     * them answer, sends go through at once.
     */
    public void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                ends.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            // The admin client retries "not leader" answers within this wait, but not a topic its metadata does not
            // have yet (it fails at once with "unknown topic", the metadata lagging behind the creation's answer on a
            // loaded machine): asked again until every partition answers.
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptionsMatching(e -> e instanceof ExecutionException
                            && e.getCause() instanceof UnknownTopicOrPartitionException)
                    .until(() -> admin.listOffsets(ends).all().get(30, TimeUnit.SECONDS) != null);
        }
    }

    /** Stops the broker (as an operator would: SIGTERM), keeping its data for {@link #resume}. */
    public synchronized void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            process = null;
        }
    }

    /** Starts the broker again on its ports and data; returns once it reports itself started. */
    public synchronized void resume() throws IOException, InterruptedException {
        Path log = home.resolve("broker-" + (++starts) + ".log");
        process = new ProcessBuilder(java(), "-Xms128m", "-Xmx384m", "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-cp", classpath, "kafka.Kafka",
                properties.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
            if (text.contains("Kafka Server started")) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka broker exited"
                        + (text.contains(PORT_TAKEN) ? " (a port was " + PORT_TAKEN + ")" : "") + ": " + text);
            }
            process.waitFor(200, TimeUnit.MILLISECONDS);
        }
        throw new IllegalStateException("Kafka broker did not start within " + START_TIMEOUT);
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

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

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static int freePort() {
        return freePorts(1)[0];
    }

    /** {@code n} distinct free ports: each socket stays open until all are taken, so none is handed out twice. */
    public static int[] freePorts(int n) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                sockets.add(new ServerSocket(0));
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // the port is free or soon will be; nothing to keep
                }
            }
        }
    }
}
