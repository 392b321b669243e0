package io.orrery.api.function;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external program for a function, e.g. {@code ExternalCommand.of("ffmpeg", "-i", in, out)
 * .directory(work).timeout(Duration.ofMinutes(2)).run()}. The program gets no standard input; its stdout and stderr
 * are drained as it runs and their ends kept ({@link #outputLimit}). A non-zero exit throws a {@link CommandFailure}
 * carrying that output. When the timeout expires, or the calling thread is interrupted, the program is killed with
 * every process it started (its descendants first, so none is orphaned out of reach), and a {@link CommandFailure}
 * that {@linkplain CommandFailure#timedOut() timed out} is thrown.
 *
 * <p>Immutable: each setter answers a new command.
 */
public final class ExternalCommand {

    /** Keeps 64 KiB of each stream unless told otherwise: enough for any error message, never a heap's worth. */
    public static final int DEFAULT_OUTPUT_LIMIT = 64 * 1024;
    /** The timeout unless told otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    private final List<String> command;
    private final Path directory;
    private final Duration timeout;
    private final int outputLimit;

    private ExternalCommand(List<String> command, Path directory, Duration timeout, int outputLimit) {
        this.command = List.copyOf(command);
        this.directory = directory;
        this.timeout = timeout;
        this.outputLimit = outputLimit;
    }

    /** A program (a name looked up on the PATH, or a path) and its arguments. */
    public static ExternalCommand of(String program, String... arguments) {
        return of(program, List.of(arguments));
    }

    public static ExternalCommand of(String program, List<String> arguments) {
        if (program == null || program.isBlank()) {
            throw new IllegalArgumentException("the program must be named");
        }
        List<String> command = new ArrayList<>();
        command.add(program);
        arguments.forEach(a -> command.add(Objects.requireNonNull(a, "an argument of " + program + " is null")));
        return new ExternalCommand(command, null, DEFAULT_TIMEOUT, DEFAULT_OUTPUT_LIMIT);
    }

    /** The working directory; the function's own when not set. */
    public ExternalCommand directory(Path directory) {
        return new ExternalCommand(command, Objects.requireNonNull(directory, "directory"), timeout, outputLimit);
    }

    public ExternalCommand timeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout must be positive, was " + timeout);
        }
        return new ExternalCommand(command, directory, timeout, outputLimit);
    }

    /** How many bytes of each of stdout and stderr are kept (the last ones). */
    public ExternalCommand outputLimit(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("the output limit must not be negative, was " + bytes);
        }
        return new ExternalCommand(command, directory, timeout, bytes);
    }

    public List<String> command() {
        return command;
    }

    /**
     * Runs the program to its end.
     *
     * @throws CommandFailure when it cannot start, exits with a non-zero status, or runs past the timeout
     */
    public CommandResult run() {
        long start = System.nanoTime();
        Process process = start();
        BoundedOutput stdout = new BoundedOutput(outputLimit);
        BoundedOutput stderr = new BoundedOutput(outputLimit);
        Thread out = drain(process, stdout, process.getInputStream(), "stdout");
        Thread err = drain(process, stderr, process.getErrorStream(), "stderr");
        boolean ended;
        boolean interrupted = false;
        try {
            ended = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            ended = false;
            interrupted = true;
        }
        if (!ended) {
            ProcessTree.kill(process);
        }
        join(out, err);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        if (!ended) {
            throw failure(true, -1, stdout.text(), stderr.text(), (interrupted ? "was interrupted" : "ran longer than "
                    + timeout) + " and was killed with every process it started");
        }
        if (process.exitValue() != 0) {
            throw failure(false, process.exitValue(), stdout.text(), stderr.text(),
                    "exited with status " + process.exitValue());
        }
        return new CommandResult(stdout.text(), stderr.text(), elapsed);
    }

    private Process start() {
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File(
                "/dev/null")));
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        try {
            return builder.start();
        } catch (IOException e) {
            throw new CommandFailure(command, false, -1, "", "", command.get(0) + " could not start"
                    + (directory == null ? "" : " in " + directory) + ": " + e.getMessage());
        }
    }

    private Thread drain(Process process, BoundedOutput output, java.io.InputStream stream, String name) {
        Thread t = new Thread(() -> output.drain(stream), command.get(0) + "-" + process.pid() + "-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    // The streams end when the last process holding them does; after a kill that is at once.
    private static void join(Thread... threads) {
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private CommandFailure failure(boolean timedOut, int exitCode, String stdout, String stderr, String what) {
        StringBuilder message = new StringBuilder(String.join(" ", command)).append(' ').append(what);
        if (!stderr.isBlank()) {
            message.append("; stderr:\n").append(stderr.strip());
        }
        if (!stdout.isBlank()) {
            message.append("\nstdout:\n").append(stdout.strip());
        }
        return new CommandFailure(command, timedOut, exitCode, stdout, stderr, message.toString());
    }
}
