package io.orrery.functions.internal.host;

/**
 * What each function host may hold at once. Open files and file size are the kernel's limits on the host process
 * ({@link KernelLimits}); threads and child processes the host counts itself, since the kernel counts those per
 * user, the node's own included, and ends the host when either is crossed.
 *
 * @param threads       live threads in the host's JVM, its own included
 * @param processes     processes the host started, with theirs, at once
 * @param openFiles     file descriptors the host (and each process it starts) may hold
 * @param fileSizeBytes the largest file the host (or a process it starts) may write
 */
public record HostLimits(int threads, int processes, int openFiles, long fileSizeBytes) {

    /** 256 threads, 32 processes, 1024 open files, 1 GiB files. */
    public static final HostLimits DEFAULTS = new HostLimits(256, 32, 1024, 1L << 30);

    public HostLimits {
        // Below these a host cannot start: its JVM and framework alone use about 20 threads and 60 descriptors.
        // Named as configured (io.orrery.functions), so a refusal names the setting to change.
        atLeast("maxThreads", threads, 32);
        atLeast("maxProcesses", processes, 0);
        atLeast("maxOpenFiles", openFiles, 128);
        atLeast("maxFileSizeMegabytes", fileSizeBytes >> 20, 1);
    }

    private static void atLeast(String name, long value, long least) {
        if (value < least) {
            throw new IllegalArgumentException(name + " must be at least " + least + ", was " + value);
        }
    }
}
