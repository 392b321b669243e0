package io.orrery.functions.internal.host;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A tool around a host's command, tried once on {@code true} before any host runs under it. */
final class TrialRun {

    private TrialRun() {
    }

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Null if {@code command} (the tool around {@code true}) ran and succeeded; otherwise why not. */
    static String trouble(Path tool, List<String> command) {
        return trouble(tool, command, WAIT);
    }

    static String trouble(Path tool, List<String> command, Duration wait) {
        Path output = null;
        try {
            // Its output goes to a file, read once it ended: read as it runs, a tool that hangs with its output open
            // would hold the reader, and this wait would never come.
            output = Files.createTempFile("orrery-trial-run", ".log");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!p.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return "a trial run of " + tool + " did not end";
            }
            return p.exitValue() == 0 ? null : "a trial run of " + tool + " failed: " + Files.readString(output).trim();
        } catch (Exception e) {
            return "a trial run of " + tool + " failed: " + e;
        } finally {
            if (output != null) {
                output.toFile().delete();
            }
        }
    }
}
