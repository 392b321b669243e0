package io.orrery.shell.queue;

import io.orrery.api.queue.MessageInfo;
import io.orrery.api.queue.MessageState;
import io.orrery.api.queue.QueueId;
import io.orrery.api.queue.QueueMessage;
import io.orrery.api.queue.QueueSettings;
import io.orrery.api.queue.QueueStats;
import io.orrery.shell.TerminalText;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code orrery:queue-show}: one queue's settings, depths, and its first pending, leased and dead messages. */
@Command(scope = "orrery", name = "queue-show", description = "Shows a queue: settings, depths and messages")
@Service
public class QueueShowCommand extends QueueCommandSupport {

    @Argument(index = 0, name = "queue", description = "The queue, as tenant/name", required = true)
    @Completion(QueueNameCompleter.class)
    String queue;

    /** Browsing reads each shard's messages of a state; a viewer must not make it read whole queues. */
    static final int MAX_LIMIT = 1000;

    @Option(name = "-n", aliases = "--limit", description = "Messages shown per state, 1 to " + MAX_LIMIT
            + " (default 10)")
    int limit = 10;

    @Override
    protected void run() {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("--limit must be 1 to " + MAX_LIMIT + ", not " + limit);
        }
        QueueId q = existing(queue);
        QueueSettings settings = queues.settings(q);
        QueueStats s = queues.stats(q);
        out.printf("Queue %s%n", TerminalText.escape(q));
        out.printf("  lease %s, max attempts %d, retry delay %s%n", age(settings.leaseTime()),
                settings.maxAttempts(), age(settings.retryDelay()));
        out.printf("  pending %d, delayed %d, in flight %d, dead %d; remembered finished: completed %d, "
                        + "cancelled %d%n", s.count(MessageState.PENDING), s.count(MessageState.DELAYED), s.inFlight(),
                s.dead(), s.count(MessageState.COMPLETED), s.count(MessageState.CANCELLED));
        if (!s.pendingByPriority().isEmpty()) {
            out.printf("  pending by priority %s, oldest %s%n", QueueListCommand.byPriority(s),
                    age(s.oldestPendingAge()));
        }
        section("Pending, in claim order", queues.browse(q, MessageState.PENDING, limit));
        section("Delayed", queues.browse(q, MessageState.DELAYED, limit));
        section("In flight", queues.browse(q, MessageState.LEASED, limit));
        section("Dead letters", queues.browse(q, MessageState.DEAD, limit));
    }

    private void section(String title, List<MessageInfo> messages) {
        if (messages.isEmpty()) {
            return;
        }
        out.println(title);
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Priority").alignRight();
        table.column("Attempts").alignRight();
        table.column("Key");
        table.column("Due");
        table.column("Trace");
        table.column("Last error");
        Instant now = Instant.now();
        for (MessageInfo i : messages) {
            QueueMessage m = i.message();
            table.addRow().addContent(TerminalText.escape(m.id()), m.priority(), m.attempts(),
                    TerminalText.escape(m.exclusiveKey()), due(i, now), TerminalText.escape(m.trace().traceId()),
                    TerminalText.escape(i.lastError()));
        }
        table.print(out);
    }

    /** When a delayed message becomes claimable, or a leased one's lease runs out. */
    private static String due(MessageInfo i, Instant now) {
        Instant at = i.state() == MessageState.LEASED ? i.leaseExpiry()
                : i.state() == MessageState.DELAYED ? i.availableAt() : null;
        return at == null ? "" : "in " + age(Duration.between(now, at).isNegative() ? Duration.ZERO
                : Duration.between(now, at));
    }
}
