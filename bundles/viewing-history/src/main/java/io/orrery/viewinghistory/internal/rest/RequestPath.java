package io.orrery.viewinghistory.internal.rest;

import io.orrery.api.rest.RestProblem;
import io.orrery.viewinghistory.internal.event.EventCodec;
import io.orrery.viewinghistory.internal.event.PlaybackEvent;
import io.orrery.viewinghistory.internal.history.RequestJournal;
import io.orrery.viewinghistory.internal.processor.DelayQueue;
import io.orrery.viewinghistory.internal.processor.SessionProcessor;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events processed on the request path: written to the {@link RequestJournal} first, so a restart of the whole
 * cluster does not lose what the answer says is stored ({@link RequestPathRecovery}), then processed; a session
 * that fails is retried from the delay queue like the Kafka path's.
 */
public final class RequestPath {

    private static final Logger LOG = LoggerFactory.getLogger(RequestPath.class);

    private final SessionProcessor processor;
    private final DelayQueue delays;
    private final RequestJournal journal;
    private final Clock clock;

    public RequestPath(SessionProcessor processor, DelayQueue delays, RequestJournal journal, Clock clock) {
        this.processor = processor;
        this.delays = delays;
        this.journal = journal;
        this.clock = clock;
    }

    /** Writes the events to the journal; a 503 when the store cannot take them (nothing of the request is kept). */
    void record(List<PlaybackEvent> events) {
        try {
            journal.record(events, clock.millis());
        } catch (SQLException e) {
            LOG.warn("Request path: {} events not written to the journal: {}", events.size(), e.toString());
            throw RestProblem.unavailable("the store cannot take the events now; retry later");
        }
    }

    RequestJournal journal() {
        return journal;
    }

    SessionProcessor processor() {
        return processor;
    }

    /** Processes recorded events; a session that fails goes to the delay queue. */
    void process(List<PlaybackEvent> events) {
        for (SessionProcessor.Failure failure : processor.process(events)) {
            failure.events().forEach(e -> delays.defer(e.eventId(), EventCodec.write(e), failure.error()));
        }
    }
}
