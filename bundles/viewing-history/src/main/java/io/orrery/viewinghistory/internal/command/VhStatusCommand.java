package io.orrery.viewinghistory.internal.command;

import io.orrery.viewinghistory.internal.node.ViewingHistory;
import io.orrery.viewinghistory.internal.processor.ConsumerLag;
import io.orrery.viewinghistory.internal.processor.ProcessorRoute;
import io.orrery.viewinghistory.publisher.PublisherCounters;
import java.io.PrintStream;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code orrery:vh-status}: the publisher's counters, the processor's progress, retries and the rollout. */
@Command(scope = "orrery", name = "vh-status", description = "Shows viewing history on this node: publisher, "
        + "processor (rate, lag), delay queue and rollout")
@Service
public class VhStatusCommand implements Action {

    @Reference
    ViewingHistory history;

    PrintStream out = System.out;

    @Override
    public Object execute() throws InterruptedException {
        long before = history.processor().processedCount();
        Thread.sleep(1000); // the processing rate over one second, not a wait for anything
        long rate = history.processor().processedCount() - before;
        PublisherCounters p = history.publisher().counters();
        out.printf("tenant      %s%n", history.tenant());
        out.printf("publisher   accepted %d, sent %d (backup %d), failed %d, dropped %d, pending %d, on %s cluster%n",
                p.accepted(), p.sent(), p.sentToBackup(), p.failed(), p.dropped(), p.pending(),
                p.onBackup() ? "backup" : "primary");
        ProcessorRoute.Source source = history.source();
        out.printf("processor   consumers %d (baseline %d events/s each), %d events/s, events processed %d, "
                        + "entries written %d, sessions held %d%n",
                history.consumers().current(), Math.round(history.consumers().baseline()), rate, history.processor().processedCount(),
                history.processor().writtenCount(), history.processor().openSessions());
        out.printf("lag         primary %s%s%n", lag(source.primaryBrokers(), source),
                source.backupBrokers() == null || source.backupBrokers().isBlank() ? ""
                        : ", backup " + lag(source.backupBrokers(), source));
        Map<String, Long> retries = history.retryCounters();
        out.printf("retries     waiting %d, retried %d, dead %d (queue %s)%n", retries.get("waiting"),
                retries.get("retried"), retries.get("dead"), history.delays().queue());
        out.printf("rollout     %d%% of users through Kafka%n", history.rollout().percent());
        return null;
    }

    private static String lag(String brokers, ProcessorRoute.Source source) {
        long lag = ConsumerLag.of(brokers, source.group(), source.topic());
        return lag < 0 ? "unknown (cluster not answering)" : lag + " records";
    }
}
