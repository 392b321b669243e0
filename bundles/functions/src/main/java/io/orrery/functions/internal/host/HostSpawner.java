package io.orrery.functions.internal.host;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/**
 * The one thread a launcher starts its function hosts from. bubblewrap's {@code --die-with-parent} (a host must not
 * outlive its node) asks Linux for a signal when the parent ends, and Linux means the thread that started the
 * process, not the JVM: a host started on a deploy's own thread, a shell session's, or a pooled thread retired when
 * idle was killed as that thread ended, in the middle of its calls. This thread lives until the launcher closes, so
 * its hosts live as long as the node's and still end with it.
 */
final class HostSpawner implements AutoCloseable {

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "orrery-function-host-spawner");
        t.setDaemon(true);
        return t;
    });

    /**
     * Starts the command on the spawning thread and answers its process. Waits through interrupts, which come back
     * afterwards: a process started while its caller gave up would run on untracked.
     */
    Process start(List<String> command) throws IOException {
        Future<Process> started;
        try {
            started = thread.submit(() -> new ProcessBuilder(command).start());
        } catch (RejectedExecutionException e) {
            throw new IOException("the host launcher is closed");
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return started.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    throw new IllegalStateException("starting " + command.get(0) + " failed", e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Ends the thread once it started what it was given; hosts it started still running end with it. */
    @Override
    public void close() {
        thread.shutdown();
    }
}
