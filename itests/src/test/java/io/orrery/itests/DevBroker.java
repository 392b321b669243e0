package io.orrery.itests;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

/**
 * The distribution's own bundled dev broker, driven through its script (bin/kafka-dev), on a port and data
 * directory of the test's choosing. Usable both from the Pax Exam driver and from inside the container.
 */
final class DevBroker {

    private final File assembly;
    private final int port;
    private final File data;

    DevBroker(File assembly, int port, File data) {
        this.assembly = assembly;
        this.port = port;
        this.data = data;
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    File data() {
        return data;
    }

    void start() {
        run("start");
    }

    void stop() {
        run("stop");
    }

    private void run(String verb) {
        try {
            File log = Files.createTempFile("kafka-dev-" + verb, ".log").toFile();
            ProcessBuilder builder = new ProcessBuilder(new File(assembly, "bin/kafka-dev").getAbsolutePath(), verb)
                    .redirectErrorStream(true).redirectOutput(log);
            builder.environment().put("ORRERY_KAFKA_DEV_PORT", String.valueOf(port));
            builder.environment().put("ORRERY_KAFKA_DEV_DATA", data.getAbsolutePath());
            Process process = builder.start();
            if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("bin/kafka-dev " + verb + " failed: "
                        + Files.readString(log.toPath(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException("bin/kafka-dev " + verb + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
