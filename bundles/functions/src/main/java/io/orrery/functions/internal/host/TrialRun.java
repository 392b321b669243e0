package io.orrery.functions.internal.host;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A tool around a host's command, tried once on {@code true} before any host runs under it. */
final class TrialRun {

    private TrialRun() {
    }

    /** Null if {@code command} (the tool around {@code true}) ran and succeeded; otherwise why not. */
    static String trouble(Path tool, List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "a trial run of " + tool + " did not end";
            }
            return p.exitValue() == 0 ? null : "a trial run of " + tool + " failed: " + output;
        } catch (Exception e) {
            return "a trial run of " + tool + " failed: " + e;
        }
    }
}
