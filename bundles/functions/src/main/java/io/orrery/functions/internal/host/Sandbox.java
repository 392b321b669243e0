package io.orrery.functions.internal.host;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Debian's bubblewrap around a function host: the whole system read-only, no network at all (not even loopback),
 * its own PID and IPC namespaces, no capability (a node run as root would otherwise lend the host its own, enough to
 * remount what is bound read-only or hidden, or to raise its limits), the host dying with the node, and empty
 * directories over what the host must not see (the server's {@code data/} and {@code etc/}, the other tenants' host
 * directories), with the host's own directories bound back in. {@link #off} when bubblewrap is absent or does not
 * work on this kernel. Either way the host runs under the {@link KernelLimits} where {@code prlimit} works.
 */
public final class Sandbox {

    private final Path bwrap;
    private final String status;
    private final KernelLimits kernelLimits;

    private Sandbox(Path bwrap, String status, KernelLimits kernelLimits) {
        this.bwrap = bwrap;
        this.status = status;
        this.kernelLimits = kernelLimits;
    }

    public static Sandbox off(String why) {
        return off(why, KernelLimits.detect());
    }

    private static Sandbox off(String why, KernelLimits kernelLimits) {
        return new Sandbox(null, "off: " + why, kernelLimits);
    }

    /** Bubblewrap at {@code candidate} (or on the PATH when null), if a trial run inside it succeeds. */
    public static Sandbox detect(Path candidate) {
        Optional<Path> found = candidate != null ? Optional.of(candidate) : onPath("bwrap");
        if (found.isEmpty() || !Files.isExecutable(found.get())) {
            return off("bwrap not found" + (candidate == null ? " on the PATH" : " at " + candidate)
                    + "; install Debian's bubblewrap");
        }
        Sandbox sandbox = new Sandbox(found.get(), "bubblewrap", KernelLimits.detect());
        String trouble = sandbox.trial();
        return trouble == null ? sandbox : off(trouble, sandbox.kernelLimits);
    }

    public boolean on() {
        return bwrap != null;
    }

    /** {@code bubblewrap}, or {@code off: <why>}. */
    public String status() {
        return status;
    }

    /** The limits on files the host runs under, sandboxed or not; their own status says whether they apply. */
    public KernelLimits kernelLimits() {
        return kernelLimits;
    }

    /**
     * Wraps a command.
     *
     * @param hidden    directories replaced by empty ones
     * @param readOnly  directories (inside hidden ones) bound back read-only
     * @param writable  directories bound back writable
     */
    public List<String> wrap(List<String> command, List<Path> hidden, List<Path> readOnly, List<Path> writable) {
        if (!on()) {
            return command;
        }
        List<String> args = new ArrayList<>(List.of(bwrap.toString(), "--ro-bind", "/", "/", "--dev", "/dev",
                "--proc", "/proc", "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL"));
        for (Path h : outermost(hidden)) {
            args.addAll(List.of("--tmpfs", h.toString()));
        }
        readOnly.forEach(p -> args.addAll(List.of("--ro-bind", p.toString(), p.toString())));
        writable.forEach(p -> args.addAll(List.of("--bind", p.toString(), p.toString())));
        args.add("--");
        args.addAll(command);
        return args;
    }

    // A tmpfs over a directory inside another tmpfs would only create an empty directory there.
    private static List<Path> outermost(List<Path> hidden) {
        List<Path> sorted = hidden.stream().map(p -> p.toAbsolutePath().normalize()).distinct()
                .sorted(Comparator.comparingInt(Path::getNameCount)).toList();
        List<Path> kept = new ArrayList<>();
        for (Path p : sorted) {
            if (kept.stream().noneMatch(p::startsWith)) {
                kept.add(p);
            }
        }
        return kept;
    }

    private String trial() {
        return TrialRun.trouble(bwrap, wrap(List.of("true"), List.of(), List.of(), List.of()));
    }

    static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
