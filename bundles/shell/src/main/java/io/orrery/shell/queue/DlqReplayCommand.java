package io.orrery.shell.queue;

import io.orrery.api.queue.QueueId;
import io.orrery.shell.TerminalText;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code orrery:dlq-replay}: moves a queue's dead letters back to pending, attempts reset. */
@Command(scope = "orrery", name = "dlq-replay",
        description = "Replays a queue's dead letters: back to pending with their attempts reset")
@Service
public class DlqReplayCommand extends QueueCommandSupport {

    @Argument(index = 0, name = "queue", description = "The queue, as tenant/name", required = true)
    @Completion(QueueNameCompleter.class)
    String queue;

    @Option(name = "-n", aliases = "--max", description = "At most this many (default: all)")
    int max = Integer.MAX_VALUE;

    @Override
    protected void run() {
        QueueId q = existing(queue);
        out.printf("Replayed %d dead letter(s) of %s%n", queues.replayDead(q, max), TerminalText.escape(q));
    }
}
