package io.orrery.viewinghistory.internal.rest;

import io.orrery.viewinghistory.internal.event.PlaybackEvent;
import io.orrery.viewinghistory.internal.history.RequestJournal;
import io.orrery.viewinghistory.internal.processor.SessionProcessor;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the request path's promise across restarts. Its first round appends every event the {@link RequestJournal}
 * holds again (duplicates are dropped by {@code seq}, so what the grid still holds is unchanged, and what a restart
 * of the whole cluster lost comes back, late events correcting entries already written). Every round then looks at
 * the sessions of the events older than {@code settleAfter} ({@link SessionProcessor#held}): those the store holds
 * whole lose their events here; those the grid holds no state of (it lost some members' partitions, the cluster
 * staying up) get theirs appended again; open ones keep them.
 *
 * <p>A request writes its events here before it appends them: {@code settleAfter} gives it the time to. A round
 * looks at one page of sessions, the next round at the page after it, so open sessions at the start of the order do
 * not hide the written ones behind them.
 */
public final class RequestPathRecovery implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(RequestPathRecovery.class);
    private static final int CHUNK = 1000;
    private static final int PAGE = 500;

    private final RequestPath path;
    private final RequestJournal journal;
    private final Duration settleAfter;
    private final Clock clock;
    private final int page;
    /** The last session the previous round looked at; "" to begin with the first. */
    private String after = "";
    private volatile boolean replayed;
    private volatile long held = -1;
    private volatile long appendedAgain;
    private volatile long dropped;

    public RequestPathRecovery(RequestPath path, Duration settleAfter, Clock clock) {
        this(path, settleAfter, clock, PAGE);
    }

    RequestPathRecovery(RequestPath path, Duration settleAfter, Clock clock, int page) {
        this.path = path;
        this.journal = path.journal();
        this.settleAfter = settleAfter;
        this.clock = clock;
        this.page = page;
    }

    @Override
    public void run() {
        try {
            if (!replayed) {
                replay();
                replayed = true;
            }
            settle();
            held = journal.size();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Request path journal: {}; trying again next round", e.toString());
        }
    }

    /** Events the journal held at the end of the last round; -1 before the first. */
    public long held() {
        return held;
    }

    /** Events appended again: by the first round, and since for sessions the grid lost. */
    public long appendedAgain() {
        return appendedAgain;
    }

    /** Events dropped since the node started, their sessions' entries written. */
    public long dropped() {
        return dropped;
    }

    /** Appends every event held again: how many. */
    public long replay() throws SQLException {
        long[] events = {0};
        journal.readAll(CHUNK, chunk -> {
            append(chunk);
            events[0] += chunk.size();
        });
        if (events[0] > 0) {
            LOG.info("Request path journal: {} events of open or unwritten sessions appended again", events[0]);
        }
        return events[0];
    }

    /** Of the next page of sessions: drops the events of those the store holds whole, appends again the lost ones. */
    public void settle() throws SQLException {
        long cutoff = clock.millis() - settleAfter.toMillis();
        List<String> sessions = journal.sessionsBefore(cutoff, after, page);
        after = sessions.size() < page ? "" : sessions.get(sessions.size() - 1);
        if (sessions.isEmpty()) {
            return;
        }
        Map<String, Boolean> grid = path.processor().held(sessions);
        List<String> settled = new ArrayList<>();
        List<String> lost = new ArrayList<>();
        for (String session : sessions) {
            Boolean whole = grid.get(session);
            if (whole == null) {
                lost.add(session);
            } else if (whole) {
                settled.add(session);
            }
        }
        dropped += journal.forget(settled, cutoff);
        if (!lost.isEmpty()) {
            List<PlaybackEvent> events = journal.eventsOf(lost);
            append(events);
            LOG.info("Request path journal: {} sessions the grid no longer held appended again ({} events)",
                    lost.size(), events.size());
        }
    }

    private void append(List<PlaybackEvent> events) {
        path.process(events);
        appendedAgain += events.size();
    }
}
