package io.orrery.functions.host;

import io.orrery.functions.protocol.HostExit;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Counts the host's live threads and the processes it started (with theirs) a few times a second, and reports the
 * first count over its limit. The kernel cannot hold these per host: its limit on processes (and so on threads)
 * counts every process of the user, the node's own included, and does not bind root. Counting from inside is
 * enough against code that starts too many by accident or by loop; code that seeks out this thread to stop it still
 * meets the heap cap, the call limit and the node's kill.
 */
final class LimitWatch {

    static final Duration PERIOD = Duration.ofMillis(250);

    /** A limit crossed: what to tell the node, and the exit status that says it too. */
    record Breach(String reason, int status) {
    }

    private final int threads;
    private final int processes;
    private final Consumer<Breach> onBreach;
    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();

    LimitWatch(int threads, int processes, Consumer<Breach> onBreach) {
        this.threads = threads;
        this.processes = processes;
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
            Breach b = check();
            if (b != null) {
                onBreach.accept(b);
                return;
            }
        }
    }

    /** The limit crossed now, if any. */
    Breach check() {
        int live = mx.getThreadCount();
        if (live > threads) {
            return new Breach("the function host crossed its thread limit of " + threads + ": " + live
                    + " live threads", HostExit.THREAD_LIMIT);
        }
        long started = ProcessHandle.current().descendants().count();
        if (started > processes) {
            return new Breach("the function host crossed its process limit of " + processes + ": " + started
                    + " processes started", HostExit.PROCESS_LIMIT);
        }
        return null;
    }
}
