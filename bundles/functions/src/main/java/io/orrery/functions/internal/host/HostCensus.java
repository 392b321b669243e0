package io.orrery.functions.internal.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The node's own count of each host's processes and of its JVM's threads, from outside through {@code /proc}, behind
 * the host's watch ({@code LimitWatch}) on the same limits (threads with an allowance for the JVM's own). The host's watch runs where tenant code runs, which can
 * find its thread and stop it; this count cannot be reached from there. A host over a limit on two counts in a row
 * (the host's own watch, four times as often, ends it first while it works) is killed, its calls failing with the
 * limit named.
 *
 * <p>A host's processes are the descendants of the process the node started, but for bubblewrap's two in the
 * sandbox (its PID namespace's init and the host's JVM under it); a process that detaches is adopted by that init
 * and still counts. Without the sandbox the node's child is the JVM itself ({@code prlimit} runs it in its place).
 */
final class HostCensus implements AutoCloseable {

    static final Duration PERIOD = Duration.ofMillis(500);
    /**
     * Counts in a row over a limit before the kill: the host's own watch, four times as often, ends a host that
     * crossed a limit first, and its end is then its own.
     */
    static final int STRIKES = 2;
    /**
     * Threads the kernel counts in a host's JVM beyond its live Java threads, which its limit counts: the compiler's,
     * the collector's and the VM's own (14 in an idle JVM on two cores, more with more cores), and those of native
     * code.
     */
    static final int VM_THREADS = 64;

    private final HostLimits limits;
    private final boolean sandboxed;
    private final Map<HostProcess, Integer> strikes = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "orrery-function-host-census");
        t.setDaemon(true);
        return t;
    });

    HostCensus(HostLimits limits, boolean sandboxed) {
        this.limits = limits;
        this.sandboxed = sandboxed;
        ticker.scheduleWithFixedDelay(this::count, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Counts this host from now until it ends. */
    void watch(HostProcess host) {
        strikes.put(host, 0);
    }

    private void count() {
        for (HostProcess host : List.copyOf(strikes.keySet())) {
            try {
                countOne(host);
            } catch (RuntimeException | Error e) {
                // a process that ended while it was being read: the next count sees it gone (and an error must not
                // end this thread's counting for good)
            }
        }
    }

    private void countOne(HostProcess host) {
        ProcessHandle root = host.handle();
        if (!root.isAlive()) {
            strikes.remove(host);
            return;
        }
        String breach = breach(root);
        if (breach == null) {
            strikes.put(host, 0);
        } else if (strikes.merge(host, 1, Integer::sum) >= STRIKES) {
            strikes.remove(host);
            host.killOver(breach + " (counted by the node)");
        }
    }

    /** The limit the host's tree is over now, if any. */
    String breach(ProcessHandle root) {
        long processes = root.descendants().count() - (sandboxed ? 2 : 0);
        if (processes > limits.processes()) {
            return "the function host crossed its process limit of " + limits.processes() + ": " + processes
                    + " processes started";
        }
        Optional<Long> threads = jvm(root).flatMap(HostCensus::threads);
        if (threads.isPresent() && threads.get() > limits.threads() + VM_THREADS) {
            return "the function host crossed its thread limit of " + limits.threads() + ": " + threads.get()
                    + " threads, " + VM_THREADS + " allowed for the JVM's own";
        }
        return null;
    }

    /** The host's JVM: in the sandbox the first child of the namespace's init, else the node's child itself. */
    private Optional<ProcessHandle> jvm(ProcessHandle root) {
        if (!sandboxed) {
            return Optional.of(root);
        }
        Comparator<ProcessHandle> eldest = Comparator.comparing(
                (ProcessHandle p) -> p.info().startInstant().orElse(Instant.MAX)).thenComparingLong(ProcessHandle::pid);
        return root.children().findFirst().flatMap(init -> init.children().min(eldest));
    }

    /** A process's threads, from its {@code /proc} status. */
    static Optional<Long> threads(ProcessHandle process) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("Threads:")) {
                    return Optional.of(Long.parseLong(line.substring("Threads:".length()).trim()));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // ended, or no /proc here: nothing to count
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
