package io.orrery.functions.internal.host;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A tool around a host's command, tried once on {@code true} before any host runs under it. */
final class TrialRun {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private TrialRun() {
    }

    /** Null if {@code command} (the tool around {@code true}) ran and succeeded; otherwise why not. */
    static String trouble(Path tool, List<String> command) {
        return trouble(tool, command, WAIT);
    }

    static String trouble(Path tool, List<String> command, Duration wait) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            // Read on a thread of its own: a tool that hangs with its output open holds its reader, not this wait.
            CompletableFuture<String> output = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try (var in = p.getInputStream()) {
                    output.complete(new String(in.readAllBytes()).trim());
                } catch (IOException e) {
                    output.complete("(its output could not be read: " + e + ")");
                }
            }, "orrery-trial-run-output");
            reader.setDaemon(true);
            reader.start();
            if (!p.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return "a trial run of " + tool + " did not end";
            }
            return p.exitValue() == 0 ? null : "a trial run of " + tool + " failed: "
                    + output.completeOnTimeout("(its output did not end)", wait.toMillis(), TimeUnit.MILLISECONDS)
                    .join();
        } catch (Exception e) {
            return "a trial run of " + tool + " failed: " + e;
        }
    }
}
