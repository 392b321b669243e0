package io.orrery.shell.queue;

import io.orrery.api.queue.MessageState;
import io.orrery.api.queue.QueueId;
import io.orrery.api.queue.QueueStats;
import io.orrery.shell.TerminalText;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code orrery:queue-list}: every queue with its depth by state and priority, oldest age, in-flight, dead. */
@Command(scope = "orrery", name = "queue-list", description = "Lists the queues with their depths")
@Service
public class QueueListCommand extends QueueCommandSupport {

    @Option(name = "-t", aliases = "--tenant", description = "Only the queues of this tenant")
    String tenant;

    @Override
    protected void run() {
        ShellTable table = new ShellTable().emptyTableText("no queues");
        table.column("Queue");
        table.column("Pending").alignRight();
        table.column("Delayed").alignRight();
        table.column("In flight").alignRight();
        table.column("Dead").alignRight();
        table.column("Oldest").alignRight();
        table.column("Pending by priority");
        for (QueueId queue : queues.queues()) {
            if (tenant != null && !tenant.equals(queue.tenant())) {
                continue;
            }
            QueueStats s = queues.stats(queue);
            table.addRow().addContent(TerminalText.escape(queue), s.count(MessageState.PENDING),
                    s.count(MessageState.DELAYED),
                    s.inFlight(), s.dead(), s.oldestPendingAge().isZero() ? "-" : age(s.oldestPendingAge()),
                    byPriority(s));
        }
        table.print(out);
    }

    /** {@code 9:2 5:10}, most urgent first. */
    static String byPriority(QueueStats s) {
        return s.pendingByPriority().entrySet().stream()
                .sorted((a, b) -> b.getKey() - a.getKey())
                .map(e -> e.getKey() + ":" + e.getValue())
                .collect(Collectors.joining(" "));
    }
}
