package io.orrery.viewinghistory.internal.command;

import io.orrery.viewinghistory.internal.node.ViewingHistory;
import io.orrery.viewinghistory.internal.processor.ConsumerLag;
import io.orrery.viewinghistory.internal.processor.ProcessorRoute;
import io.orrery.viewinghistory.internal.region.HomeRegions;
import io.orrery.viewinghistory.internal.rest.RequestPathRecovery;
import io.orrery.viewinghistory.internal.shadow.ShadowReport;
import io.orrery.viewinghistory.publisher.PublisherCounters;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code orrery:vh-status}: the publisher's counters, the processor's progress, retries, the rollout, shadow mode
 * and the region router; with {@code --shadow}, a shadow validation run now, its mismatches listed.
 */
@Command(scope = "orrery", name = "vh-status", description = "Shows viewing history on this node: publisher, "
        + "processor (rate, lag, consumers), delay queue, rollout, shadow mode and regions")
@Service
public class VhStatusCommand implements Action {

    @Reference
    ViewingHistory history;

    @Option(name = "--shadow", description = "Compare the request path's store with the shadow store now and list "
            + "the mismatches")
    boolean shadow;

    @Option(name = "--limit", description = "Mismatches listed with --shadow (all are counted); default 20")
    int limit = 20;

    PrintStream out = System.out;

    @Override
    public Object execute() throws SQLException {
        if (limit < 0) {
            throw new IllegalArgumentException("--limit: must be 0 or more, got " + limit);
        }
        PublisherCounters p = history.publisher().counters();
        out.printf("tenant      %s%n", history.tenant());
        out.printf("publisher   accepted %d, sent %d (backup %d), failed %d, dropped %d, pending %d, on %s cluster%n",
                p.accepted(), p.sent(), p.sentToBackup(), p.failed(), p.dropped(), p.pending(),
                p.onBackup() ? "backup" : "primary");
        ProcessorRoute.Source source = history.source();
        var processor = history.asyncProcessor();
        out.printf("processor   consumers %d (baseline %d events/s each), %d events/s, events processed %d, "
                        + "entries written %d, sessions held %d, partitions read again after grid losses %d, "
                        + "sessions visited by idle sweeps %d, grid updates failed after a write %d%n",
                history.consumers().current(), Math.round(history.consumers().baseline()),
                Math.round(processor.eventsPerSecond()), processor.processedCount(), processor.writtenCount(),
                processor.openSessions(), processor.partitionsReadAgain(), processor.sweptCount(),
                processor.gridUpdatesFailed());
        out.printf("lag         primary %s%s%n", lag(source.primaryBrokers(), source),
                source.backupBrokers() == null || source.backupBrokers().isBlank() ? ""
                        : ", backup " + lag(source.backupBrokers(), source));
        Map<String, Long> retries = history.retryCounters();
        out.printf("retries     waiting %d, retried %d, dead %d (queue %s)%n", retries.get("waiting"),
                retries.get("retried"), retries.get("dead"), history.delays().queue());
        Map<String, Long> own = history.requestPathRetries().counters();
        if (history.shadowMode() || own.get("waiting") > 0) {   // without shadow mode: left from when it was on
            out.printf("            request path: waiting %d, retried %d, dead %d (queue %s)%n", own.get("waiting"),
                    own.get("retried"), own.get("dead"), history.requestPathRetries().queue());
        }
        RequestPathRecovery journal = history.requestPathRecovery();
        out.printf("journal     request path: %s events held, %d appended again at start, %d dropped as written%n",
                journal.held() < 0 ? "?" : String.valueOf(journal.held()), journal.appendedAgain(), journal.dropped());
        out.printf("rollout     %d%% of users through Kafka%n", history.rollout().percent());
        HomeRegions regions = history.regions();
        out.printf("regions     %s%n", regions == null ? "one (nothing forwarded)" : "this is " + regions.local()
                + " of " + regions.clusters().keySet() + ", forwarded " + history.forwarder().forwardedCount()
                + " events to their home region, " + history.forwarder().failedBatches() + " batches refused");
        if (!history.shadowMode()) {
            out.printf("shadow      off%n");
        } else {
            out.printf("shadow      on: request path writes the primary store, %d events processed; Kafka path the "
                    + "shadow store%n", history.processor().processedCount());
        }
        ShadowReport report = shadow ? history.validator().validate(limit) : history.validator().last();
        if (shadow || history.shadowMode()) {
            printShadow(report, shadow);
        }
        return null;
    }

    private void printShadow(ShadowReport report, boolean listed) {
        out.printf("validation  %s: entries %d of %d differ, bookmarks %d of %d differ%n",
                listed ? "now" : "last", report.entryMismatches(), report.entriesCompared(),
                report.bookmarkMismatches(), report.bookmarksCompared());
        if (listed) {
            for (ShadowReport.Mismatch m : report.listed()) {
                out.printf("  %-8s %s: %s%n", m.kind().name().toLowerCase(java.util.Locale.ROOT), m.key(), m.detail());
            }
            if (report.mismatches() > report.listed().size()) {
                out.printf("  ... and %d more%n", report.mismatches() - report.listed().size());
            }
        }
    }

    private static String lag(String brokers, ProcessorRoute.Source source) {
        ConsumerLag.Position position = ConsumerLag.position(brokers, source.group(), source.topic());
        if (position.records() < 0) {
            return "unknown (cluster not answering)";
        }
        return position.records() + " records" + (position.heldBack() == 0 ? "" : " (and " + position.heldBack()
                + " processed but not committed past: sessions still open)");
    }
}
