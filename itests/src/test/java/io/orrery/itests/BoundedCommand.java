package io.orrery.itests;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command run to its end within a time limit. Reading a child's output until it closes waits as long as the
 * child lives: a {@code bin/client} whose SSH session never ends (the shell restarted under it during a node's
 * first refresh) held a whole test run. Here the output goes to a file, the wait is bounded, and a command that
 * overruns is killed with every process it started, its output so far in the error.
 */
final class BoundedCommand {

    private final Path dir;
    private final Duration limit;

    BoundedCommand(Path dir, Duration limit) {
        this.dir = dir;
        this.limit = limit;
    }

    /** Runs {@code command} with {@code input} on its stdin; answers its output (stdout and stderr) if it exits 0. */
    String run(String input, List<String> command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("command", ".log");
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            } catch (IOException exitedBeforeReading) {
                // the command did not want its input; its exit status tells the rest
            }
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
                throw new IllegalStateException(String.join(" ", command) + " did not end within " + limit
                        + " and was killed; its output: " + Files.readString(log, StandardCharsets.UTF_8));
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue()
                        + ": " + out);
            }
            return out;
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
