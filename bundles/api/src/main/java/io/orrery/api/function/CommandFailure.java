package io.orrery.api.function;

import java.util.List;

/**
 * An external command that ended badly: it exited with a non-zero status (the function's input is at fault, so it
 * fails at once like any {@link FunctionFailure}), or it ran past its timeout and its whole process tree was
 * killed ({@link #timedOut()}: its {@link #errorClass()} is then {@link ErrorClass#TIMEOUT}, still final). The
 * message names the command and carries the end of what it wrote to stderr (and stdout), as much as the command's
 * output limit kept.
 */
public class CommandFailure extends FunctionFailure {

    private static final long serialVersionUID = 1L;

    private final List<String> command;
    private final boolean timedOut;
    private final int exitCode;
    private final String stdout;
    private final String stderr;

    public CommandFailure(List<String> command, boolean timedOut, int exitCode, String stdout, String stderr,
                          String message) {
        super(timedOut ? ErrorClass.TIMEOUT : ErrorClass.USER, message, null);
        this.command = List.copyOf(command);
        this.timedOut = timedOut;
        this.exitCode = exitCode;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** The program and its arguments. */
    public List<String> command() {
        return command;
    }

    /** True when the command ran past its timeout and was killed with every process it started. */
    public boolean timedOut() {
        return timedOut;
    }

    /** The exit status; -1 when the command timed out or never started. */
    public int exitCode() {
        return exitCode;
    }

    /** What the command wrote to stdout, bounded by its output limit. */
    public String stdout() {
        return stdout;
    }

    /** What the command wrote to stderr, bounded by its output limit. */
    public String stderr() {
        return stderr;
    }
}
