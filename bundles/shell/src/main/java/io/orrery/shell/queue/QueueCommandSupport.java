package io.orrery.shell.queue;

import io.orrery.api.queue.QueueId;
import io.orrery.api.queue.QueueService;
import java.io.PrintStream;
import java.time.Duration;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

/**
 * What the queue commands share: the {@link QueueService} (injected by Karaf, or set directly in tests), where
 * they print, and how they read a queue argument and show an age.
 */
public abstract class QueueCommandSupport implements Action {

    @Reference
    QueueService queues;

    PrintStream out = System.out;

    @Override
    public Object execute() throws Exception {
        run();
        return null;
    }

    protected abstract void run() throws Exception;

    /** A queue named {@code tenant/name}, known to the cluster; otherwise a message naming the argument. */
    protected QueueId existing(String text) {
        QueueId queue;
        try {
            queue = QueueId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("queue: expected <tenant>/<name>, got '" + text + "'");
        }
        if (!queues.queues().contains(queue)) {
            throw new IllegalArgumentException("queue: no queue named " + queue);
        }
        return queue;
    }

    /** {@code 850ms}, {@code 4.2s}, {@code 3m12s}, {@code 2h05m}. */
    static String age(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        if (ms < 3_600_000) {
            return (ms / 60_000) + "m" + String.format("%02d", ms / 1000 % 60) + "s";
        }
        return (ms / 3_600_000) + "h" + String.format("%02d", ms / 60_000 % 60) + "m";
    }
}
