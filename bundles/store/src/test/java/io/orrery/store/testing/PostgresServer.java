package io.orrery.store.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.stream.Stream;

/**
 * A real, throwaway PostgreSQL server for tests: Debian's binaries, a fresh cluster in a temporary directory, on a
 * free port of 127.0.0.1 with trust authentication for user {@code postgres}. {@link #close()} stops it and deletes
 * the directory. When running as root the server runs as the {@code postgres} user, since initdb refuses root.
 * A port taken between choosing it and the server binding it (initdb runs in between) is replaced by a fresh one.
 *
 * <p>Other modules use it with a test-scoped dependency on {@code orrery-store} of type {@code test-jar}.
 * It depends on the JDK alone (plus a JDBC driver on the class path for {@link #createDatabase}).
 */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "postgres";

    private static final Path INSTALLATIONS = Path.of("/usr/lib/postgresql");
    private static final long COMMAND_TIMEOUT_SECONDS = 120;
    /** Launches on fresh ports when the chosen one was taken (each failed launch costs about a second). */
    private static final int LAUNCH_TRIES = 5;

    private final Path binaries;
    private final Path home;
    private int port;
    private final Thread stopAtExit;

    private PostgresServer(Path binaries, Path home) {
        this.binaries = binaries;
        this.home = home;
        this.stopAtExit = new Thread(this::stopQuietly, "postgres-test-server-stop");
    }

    /** Initialises a new cluster and starts it; fails (never skips) when PostgreSQL is not installed. */
    public static PostgresServer start() {
        return start(PostgresServer::freePort);
    }

    /** As {@link #start()}, on the ports {@code ports} hands out: the first, or the next when one was taken. */
    static PostgresServer start(IntSupplier ports) {
        Path binaries = findBinaries();
        Path home = createHome();
        PostgresServer server = new PostgresServer(binaries, home);
        try {
            server.initialise();
            server.launch(ports);
        } catch (RuntimeException e) {
            server.deleteHome();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(server.stopAtExit);
        return server;
    }

    /** The newest installed server's {@code bin} directory, e.g. {@code /usr/lib/postgresql/15/bin}. */
    static Path findBinaries() {
        String override = System.getenv("ORRERY_POSTGRES_BIN");
        if (override != null && !override.isBlank()) {
            return requireServer(Path.of(override));
        }
        try (Stream<Path> versions = Files.list(INSTALLATIONS)) {
            Optional<Path> newest = versions
                    .filter(dir -> dir.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                    .filter(dir -> Files.isExecutable(dir.resolve("bin/initdb")))
                    .max(Comparator.comparingDouble(dir -> Double.parseDouble(dir.getFileName().toString())));
            return requireServer(newest.map(dir -> dir.resolve("bin")).orElse(INSTALLATIONS));
        } catch (IOException e) {
            return requireServer(INSTALLATIONS);
        }
    }

    static Path requireServer(Path bin) {
        if (!Files.isExecutable(bin.resolve("initdb")) || !Files.isExecutable(bin.resolve("pg_ctl"))) {
            throw new IllegalStateException("No PostgreSQL server binaries (initdb, pg_ctl) under " + bin
                    + ". These tests need a real PostgreSQL server: install it with"
                    + " `apt-get update && apt-get install -y postgresql`.");
        }
        return bin;
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return jdbcUrl("postgres");
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public String user() {
        return USER;
    }

    public String password() {
        return "";
    }

    /** Creates an empty database, so tests sharing this server keep their tables apart; returns its URL. */
    public String createDatabase(String name) {
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("Use a lower-case identifier as database name: " + name);
        }
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + name + ": " + e.getMessage(), e);
        }
        return jdbcUrl(name);
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook stops the server.
        }
        stopQuietly();
    }

    private void initialise() {
        run("initdb", "-D", data().toString(), "-A", "trust", "-U", USER, "-E", "UTF8", "--locale=C", "--no-sync");
    }

    private void launch(IntSupplier ports) {
        for (int tries = 1; ; tries++) {
            port = ports.getAsInt();
            try {
                launch();
                return;
            } catch (IllegalStateException e) {
                if (tries == LAUNCH_TRIES || !String.valueOf(e.getMessage()).contains("already in use")) {
                    throw e;
                }
            }
        }
    }

    private void launch() {
        deleteQuietly(home.resolve("server.log")); // so a failure reports this launch's log alone
        String options = "-p " + port + " -k " + home + " -c listen_addresses=127.0.0.1 -c fsync=off";
        run("pg_ctl", "-D", data().toString(), "-l", home.resolve("server.log").toString(), "-o", options,
                "-w", "-t", "60", "start");
    }

    private void stopQuietly() {
        try {
            if (Files.exists(data().resolve("postmaster.pid"))) {
                run("pg_ctl", "-D", data().toString(), "-m", "immediate", "-w", "stop");
            }
        } catch (RuntimeException e) {
            System.err.println("Could not stop the test PostgreSQL server: " + e.getMessage());
        } finally {
            deleteHome();
        }
    }

    private Path data() {
        return home.resolve("data");
    }

    private void run(String tool, String... arguments) {
        List<String> command = new ArrayList<>();
        if (isRoot()) {
            command.addAll(List.of("runuser", "-u", USER, "--"));
        }
        command.add(binaries.resolve(tool).toString());
        command.addAll(List.of(arguments));
        Path output = home.resolve(tool + ".out");
        try {
            Process process = new ProcessBuilder(command)
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                    .start();
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(tool + " did not finish within " + COMMAND_TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed with exit code "
                        + process.exitValue() + ":\n" + read(output) + read(home.resolve("server.log")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + tool, e);
        }
    }

    private static Path createHome() {
        try {
            Path home = Files.createTempDirectory("orrery-pg-");
            if (isRoot()) {
                // The server runs as postgres, which must own its directory (and the socket directory).
                Process chown = new ProcessBuilder("chown", "-R", USER + ":" + USER, home.toString())
                        .redirectErrorStream(true).start();
                if (!chown.waitFor(30, TimeUnit.SECONDS) || chown.exitValue() != 0) {
                    throw new IllegalStateException("Cannot chown " + home + " to " + USER
                            + " (does the user exist? `apt-get install -y postgresql` creates it)");
                }
            }
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void deleteHome() {
        if (!Files.exists(home)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(home)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("Could not delete " + home + ": " + e.getMessage());
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            System.err.println("Could not delete " + file + ": " + e.getMessage());
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ")";
        }
    }
}
