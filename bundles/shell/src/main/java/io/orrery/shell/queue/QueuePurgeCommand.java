package io.orrery.shell.queue;

import io.orrery.api.queue.QueueId;
import io.orrery.shell.TerminalText;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code orrery:queue-purge}: drops every pending, delayed, leased and dead message of a queue. */
@Command(scope = "orrery", name = "queue-purge",
        description = "Drops every unfinished and dead message of a queue (leased ones' acks then fail)")
@Service
public class QueuePurgeCommand extends QueueCommandSupport {

    @Argument(index = 0, name = "queue", description = "The queue, as tenant/name", required = true)
    @Completion(QueueNameCompleter.class)
    String queue;

    @Override
    protected void run() {
        QueueId q = existing(queue);
        out.printf("Purged %d message(s) from %s%n", queues.purge(q), TerminalText.escape(q));
    }
}
