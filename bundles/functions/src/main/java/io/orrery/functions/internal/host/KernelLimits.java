package io.orrery.functions.internal.host;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * util-linux's {@code prlimit} around a function host: the kernel holds the host (and every process it starts) to
 * {@link HostLimits#openFiles} descriptors and files of {@link HostLimits#fileSizeBytes}, and writes no core dump of
 * it. Past either limit a call fails, not the host: the JVM ignores {@code SIGXFSZ}, so a write past the size fails
 * with "File too large", and an open past the descriptors with "Too many open files". These limits are per process,
 * unlike the kernel's on processes, which counts every process of the user (see the host's own watch).
 * {@link #off} when {@code prlimit} is absent or does not work here.
 */
public final class KernelLimits {

    private final Path prlimit;
    private final String status;

    private KernelLimits(Path prlimit, String status) {
        this.prlimit = prlimit;
        this.status = status;
    }

    static KernelLimits off(String why) {
        return new KernelLimits(null, "no kernel limits: " + why);
    }

    /** {@code prlimit} on the PATH, if a trial run under it succeeds. */
    static KernelLimits detect() {
        Optional<Path> found = Sandbox.onPath("prlimit");
        if (found.isEmpty()) {
            return off("prlimit not found on the PATH; install util-linux");
        }
        KernelLimits limits = new KernelLimits(found.get(), "kernel limits by prlimit");
        String trouble = limits.trial();
        return trouble == null ? limits : off(trouble);
    }

    public boolean on() {
        return prlimit != null;
    }

    /** {@code kernel limits by prlimit}, or {@code no kernel limits: <why>}. */
    public String status() {
        return status;
    }

    /** The command under the limits, or as it is when they are off. */
    public List<String> wrap(HostLimits limits, List<String> command) {
        if (!on()) {
            return command;
        }
        List<String> args = new ArrayList<>(List.of(prlimit.toString(),
                "--nofile=" + limits.openFiles() + ":" + limits.openFiles(),
                "--fsize=" + limits.fileSizeBytes() + ":" + limits.fileSizeBytes(),
                "--core=0:0", "--"));
        args.addAll(command);
        return args;
    }

    /** Null when these limits are off or can be set here; otherwise why no host could start under them. */
    public String trouble(HostLimits limits) {
        if (!on() || limits.equals(HostLimits.DEFAULTS)) {
            return null; // the defaults were tried when prlimit was found to work
        }
        String trouble = TrialRun.trouble(prlimit, wrap(limits, List.of("true")));
        return trouble == null ? null : "maxOpenFiles " + limits.openFiles() + " or maxFileSizeMegabytes "
                + (limits.fileSizeBytes() >> 20) + " cannot be set here: " + trouble;
    }

    private String trial() {
        return TrialRun.trouble(prlimit, wrap(HostLimits.DEFAULTS, List.of("true")));
    }
}
