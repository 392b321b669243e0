package io.orrery.viewinghistory.internal.node;

import io.orrery.viewinghistory.internal.processor.ProcessorRoute;
import io.orrery.viewinghistory.internal.shadow.ShadowReport;
import java.time.Duration;
import org.apache.camel.RoutesBuilder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processor's routes for the Camel runtime's whiteboard (a fresh builder per add, as Camel requires), and the
 * request path's journal: appended again once the node starts, then rid of what the store holds. In shadow mode the
 * Kafka path writes the shadow store, the request path's idle sessions and failed events get their own sweep and
 * retries (into the store users read), and the validator runs on a timer. The request path's own retries run
 * without shadow mode too, for the events that failed while it was on.
 */
@Component(service = RoutesBuilder.class, scope = ServiceScope.PROTOTYPE)
public class ProcessorRoutes extends ProcessorRoute {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessorRoutes.class);
    private static final Duration IDLE_SWEEP = Duration.ofSeconds(30);

    private final ViewingHistory history;

    @Activate
    public ProcessorRoutes(@Reference ViewingHistory history) {
        super(history.asyncProcessor(), history.delays(), history.source(), IDLE_SWEEP, history.consumers());
        this.history = history;
    }

    @Override
    public void configure() {
        super.configure();
        from("timer:orrery-vh-request-journal?delay=1000&period=" + IDLE_SWEEP.toMillis())
                .routeId("orrery-viewing-history-request-journal").process(e -> history.requestPathRecovery().run());
        // Also without shadow mode: what failed while it was on still waits in the request path's own queue.
        from("timer:orrery-vh-retry-request-path?period=" + (history.shadowMode() ? 250 : 1000))
                .routeId("orrery-viewing-history-retry-request-path")
                .process(e -> history.requestPathRetries()
                        .retryDue(retryWith(history.processor()), 100, Duration.ZERO));
        if (!history.shadowMode()) {
            return;
        }
        from("timer:orrery-vh-idle-request-path?period=" + IDLE_SWEEP.toMillis())
                .routeId("orrery-viewing-history-idle-request-path").process(e -> history.processor().closeIdle());
        long every = Math.max(1, history.config().shadowValidateSeconds()) * 1000L;
        from("timer:orrery-vh-shadow?delay=" + every + "&period=" + every).routeId("orrery-viewing-history-shadow")
                .process(e -> validate());
    }

    private void validate() throws java.sql.SQLException {
        ShadowReport report = history.validator().validate(10);
        if (report.mismatches() > 0) {
            LOG.warn("Shadow validation for tenant {}: {} of {} entries and {} of {} bookmarks differ, e.g. {}",
                    history.tenant(), report.entryMismatches(), report.entriesCompared(), report.bookmarkMismatches(),
                    report.bookmarksCompared(), report.listed());
        } else {
            LOG.info("Shadow validation for tenant {}: {} entries and {} bookmarks agree", history.tenant(),
                    report.entriesCompared(), report.bookmarksCompared());
        }
    }
}
