package io.orrery.engine.internal;

import io.orrery.api.queue.Backoff;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Where the engine puts hand-overs that failed and must be tried again without waiting for a restart: refused
 * enqueues, a parent not told of its child. One daemon thread; attempts pause longer after each failure in a row.
 */
final class LaterAttempts implements AutoCloseable {

    private final Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(5));
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "orrery-engine-retry");
        t.setDaemon(true);
        return t;
    });

    /** Runs {@code attempt} after the pause due after {@code failures} failures in a row; answers the pause. */
    Duration after(int failures, Runnable attempt) {
        Duration pause = backoff.delayAfter(Math.min(failures, 16));
        try {
            scheduler.schedule(attempt, pause.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // stopped: a restart or a survivor's recovery takes it from here
        }
        return pause;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
