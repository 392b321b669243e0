package io.orrery.functions.host;

import io.orrery.functions.protocol.HostExit;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * Counts the host's live threads and its other processes a few times a second, and reports the first count over its
 * limit. The kernel cannot hold these per host: its limit on processes (and so on threads) counts every process of
 * the user, the node's own included, and does not bind root. Counting from inside is enough against code that starts
 * too many by accident or by loop; code that seeks out this thread to stop it still meets the node's own count
 * from outside (its {@code HostCensus}), on the same limits.
 *
 * <p>In the sandbox the host's processes are every process of its PID namespace but its init and the host itself:
 * a process that detaches (its parent gone) is adopted by the namespace's init, no longer the host's descendant, and
 * still counts. Counts that fail (the tenant holding every file descriptor, so {@code /proc} cannot be read) are
 * tolerated for a second or two, then end the host too: a watch that cannot count holds nothing.
 */
final class LimitWatch {

    static final Duration PERIOD = Duration.ofMillis(250);
    /** Counts in a row that may fail before the host ends: two seconds' worth. */
    static final int MAX_FAILED_COUNTS = 8;

    /** A limit crossed: what to tell the node, and the exit status that says it too. */
    record Breach(String reason, int status) {
    }

    private final int threads;
    private final int processes;
    private final LongSupplier otherProcesses;
    private final Consumer<Breach> onBreach;
    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    private int failedCounts;

    /**
     * {@code sandboxed}: the node started this host in bubblewrap's PID namespace. The node says so: the host cannot
     * tell by looking (the namespace's init is named after whatever path bubblewrap was started from).
     */
    LimitWatch(int threads, int processes, boolean sandboxed, Consumer<Breach> onBreach) {
        this(threads, processes, sandboxed ? LimitWatch::namespaceProcesses
                : () -> ProcessHandle.current().descendants().count(), onBreach);
    }

    LimitWatch(int threads, int processes, LongSupplier otherProcesses, Consumer<Breach> onBreach) {
        this.threads = threads;
        this.processes = processes;
        this.otherProcesses = otherProcesses;
        this.onBreach = onBreach;
    }

    void start() {
        Thread t = new Thread(this::watch, "function-host-limit-watch");
        t.setDaemon(true);
        t.start();
    }

    private void watch() {
        while (true) {
            LockSupport.parkNanos(PERIOD.toNanos());
            Thread.interrupted(); // an interrupt from tenant code would make every park return at once
            Breach b = tick();
            if (b != null) {
                onBreach.accept(b);
                return;
            }
        }
    }

    /** One count: the limit crossed, if any, or the end of the counts that kept failing. */
    Breach tick() {
        try {
            Breach b = check();
            failedCounts = 0;
            return b;
        } catch (RuntimeException | Error e) {
            if (++failedCounts < MAX_FAILED_COUNTS) {
                return null;
            }
            return new Breach("the function host's threads and processes could not be counted " + failedCounts
                    + " times in a row: " + e, HostExit.UNCOUNTED);
        }
    }

    /** The limit crossed now, if any. */
    Breach check() {
        int live = mx.getThreadCount();
        if (live > threads) {
            return new Breach("the function host crossed its thread limit of " + threads + ": " + live
                    + " live threads", HostExit.THREAD_LIMIT);
        }
        long started = otherProcesses.getAsLong();
        if (started > processes) {
            return new Breach("the function host crossed its process limit of " + processes + ": " + started
                    + " processes started", HostExit.PROCESS_LIMIT);
        }
        return null;
    }

    /** Every process of the sandbox's PID namespace but its init and this one. */
    static long namespaceProcesses() {
        long self = ProcessHandle.current().pid();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries.map(p -> p.getFileName().toString()).filter(LimitWatch::isPid).mapToLong(Long::parseLong)
                    .filter(pid -> pid != 1 && pid != self).count();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc: " + e, e);
        }
    }

    private static boolean isPid(String name) {
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }
}
