package io.orrery.shell.queue;

import io.orrery.api.queue.QueueId;
import io.orrery.api.queue.QueueService;
import io.orrery.shell.TerminalText;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes a queue argument with the cluster's queues, as {@code tenant/name}. */
@Service
public class QueueNameCompleter implements Completer {

    @Reference
    QueueService queues;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        // A name the terminal cannot show as it is cannot be offered: left out.
        List<String> names = queues.queues().stream().map(QueueId::toString).filter(TerminalText::isSafe).toList();
        return new StringsCompleter(names).complete(session, commandLine, candidates);
    }
}
