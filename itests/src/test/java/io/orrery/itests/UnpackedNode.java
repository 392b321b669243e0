package io.orrery.itests;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Orrery node unpacked from the distribution's tar.gz and launched the way an operator does, with
 * {@code bin/orrery}, on ports of the test's choosing.
 */
final class UnpackedNode implements AutoCloseable {

    /** How long a shell command, tar or bin/stop may take before it is killed and the attempt fails. */
    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(60);

    private final Path home;
    private final int httpPort;
    private final int sshPort;
    private Process launcher;

    private UnpackedNode(Path home, int httpPort, int sshPort) {
        this.home = home;
        this.httpPort = httpPort;
        this.sshPort = sshPort;
    }

    /** Unpacks a fresh copy of the distribution under {@code dir}. */
    int httpPort() {
        return httpPort;
    }

    static UnpackedNode unpack(File distribution, Path dir, int httpPort) throws Exception {
        Files.createDirectories(dir);
        run(dir, "tar", "xzf", distribution.getAbsolutePath(), "-C", dir.toString(), "--strip-components=1");
        UnpackedNode node = new UnpackedNode(dir, httpPort, OrreryContainer.freePort());
        node.set("etc/io.orrery.api.cfg", "port", String.valueOf(httpPort));
        node.set("etc/org.apache.karaf.shell.cfg", "sshPort", String.valueOf(node.sshPort));
        node.set("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", String.valueOf(OrreryContainer.freePort()));
        node.set("etc/org.apache.karaf.management.cfg", "rmiServerPort", String.valueOf(OrreryContainer.freePort()));
        return node;
    }

    /** Sets {@code key = value} in a Karaf cfg file, replacing the key's line or appending it. */
    UnpackedNode set(String file, String key, String value) {
        Path path = home.resolve(file);
        try {
            String text = Files.exists(path) ? Files.readString(path, StandardCharsets.UTF_8) : "";
            Pattern line = Pattern.compile("(?m)^\\s*#?\\s*" + Pattern.quote(key) + "\\s*=.*$");
            Matcher matcher = line.matcher(text);
            String entry = key + " = " + value;
            text = matcher.find() ? matcher.replaceFirst(Matcher.quoteReplacement(entry)) : text + "\n" + entry + "\n";
            Files.writeString(path, text, StandardCharsets.UTF_8);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private volatile String adminToken;
    private String javaOptions = "";

    /** Options for the node's JVM besides the distribution's, as an operator gives them in EXTRA_JAVA_OPTS. */
    UnpackedNode javaOptions(String options) {
        this.javaOptions = options;
        return this;
    }

    void launch() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/orrery").toString())
                .directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(home.resolve("launcher.log").toFile());
        if (!javaOptions.isEmpty()) {
            builder.environment().put("EXTRA_JAVA_OPTS", javaOptions);
        }
        launcher = builder.start();
    }

    /** Kills the node's Karaf JVM with SIGKILL ({@code kill -9}): no shutdown hook runs; waits for the launcher. */
    void kill() throws InterruptedException {
        if (launcher == null || !launcher.isAlive()) {
            return;
        }
        launcher.descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("org.apache.karaf.main.Main"))
                .forEach(ProcessHandle::destroyForcibly);
        if (!launcher.waitFor(60, TimeUnit.SECONDS)) {
            launcher.descendants().forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly();
        }
    }

    /**
     * Runs a shell command as the installation's owner does, through bin/client in batch mode with no user or
     * password given (the client takes the owner's login from etc/users.properties); answers its output.
     */
    String shell(String command) throws Exception {
        return new BoundedCommand(home, COMMAND_LIMIT)
                .run(command + "\n", List.of(home.resolve("bin/client").toString(), "-b"));
    }

    /** {@link #shell}, answering the failure's text instead of throwing it (for polling until it works). */
    String shellQuietly(String command) {
        try {
            return shell(command);
        } catch (Exception e) {
            return e.toString();
        }
    }

    String api(String path) {
        return "http://127.0.0.1:" + httpPort + "/api/v1" + path;
    }

    Http.Response health() {
        return Http.get("http://127.0.0.1:" + httpPort + "/api/v1/health");
    }

    /**
     * {@code /health} as the administrator sees it, with each subsystem's details (members, brokers, store);
     * anonymous callers get the status only. Status 0 while the shell cannot issue the token yet.
     */
    Http.Response detailedHealth() {
        try {
            if (adminToken == null) {
                String out = shell("orrery:tenant-token --admin").strip();
                adminToken = out.substring(out.lastIndexOf('\n') + 1).strip();
            }
        } catch (Exception e) {
            return new Http.Response(0, e.toString(), java.util.Map.of());
        }
        return Http.get("http://127.0.0.1:" + httpPort + "/api/v1/health", adminToken);
    }

    String launcherLog() throws IOException {
        return Files.readString(home.resolve("launcher.log"), StandardCharsets.UTF_8);
    }

    /** Karaf's own log (data/log/karaf.log); empty before the first line is written. */
    String karafLog() throws IOException {
        Path log = home.resolve("data/log/karaf.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    int sshPort() {
        return sshPort;
    }

    Path home() {
        return home;
    }

    /** Stops Karaf as bin/stop does; the launcher then stops its dev broker and exits. */
    @Override
    public void close() throws Exception {
        if (launcher == null || !launcher.isAlive()) {
            return;
        }
        run(home, home.resolve("bin/stop").toString());
        if (!launcher.waitFor(60, TimeUnit.SECONDS)) {
            launcher.descendants().forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly();
            throw new AssertionError("bin/orrery did not exit within 60 s of bin/stop");
        }
    }

    private static void run(Path dir, String... command) throws Exception {
        new BoundedCommand(dir, COMMAND_LIMIT).run("", List.of(command));
    }

}
