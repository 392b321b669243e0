package io.orrery.viewinghistory.internal.history;

import io.orrery.viewinghistory.internal.event.EventCodec;
import io.orrery.viewinghistory.internal.event.PlaybackEvent;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The request path's events in the store ({@code vh_request_events}, migration V4), kept from before the request is
 * answered until the store holds their session's entry. The grid holds an open session in memory only; the Kafka
 * path can read its events again from the topic, the request path reads them from here.
 */
public final class RequestJournal {

    private static final String INSERT = "INSERT INTO vh_request_events (session_id, received_at, event) "
            + "VALUES (?, ?, ?)";
    private static final String ALL = "SELECT event FROM vh_request_events ORDER BY session_id";
    private static final String OF_SESSION = "SELECT event FROM vh_request_events WHERE session_id = ?";
    private static final String RECEIVED_BEFORE = "SELECT DISTINCT session_id FROM vh_request_events "
            + "WHERE received_at < ? AND session_id > ? ORDER BY session_id FETCH FIRST ? ROWS ONLY";
    private static final String DELETE = "DELETE FROM vh_request_events WHERE session_id = ? AND received_at < ?";
    private static final String COUNT = "SELECT COUNT(*) FROM vh_request_events";

    private final DataSource dataSource;

    public RequestJournal(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Writes the events, received at {@code now} (epoch millis), in one transaction. */
    public void record(Collection<PlaybackEvent> events, long now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                for (PlaybackEvent e : events) {
                    insert.setString(1, e.sessionId());
                    insert.setLong(2, now);
                    insert.setString(3, new String(EventCodec.write(e), StandardCharsets.UTF_8));
                    insert.addBatch();
                }
                insert.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException failure) {
                c.rollback();
                throw failure;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** Hands every event held, a session's together, to {@code chunk} in lists of about {@code size}. */
    public void readAll(int size, Consumer<List<PlaybackEvent>> chunk) throws SQLException {
        List<PlaybackEvent> events = new ArrayList<>(size);
        try (Connection c = dataSource.getConnection(); PreparedStatement all = c.prepareStatement(ALL);
             ResultSet rows = all.executeQuery()) {
            while (rows.next()) {
                PlaybackEvent e = EventCodec.parse(rows.getString(1).getBytes(StandardCharsets.UTF_8));
                if (events.size() >= size && !events.get(events.size() - 1).sessionId().equals(e.sessionId())) {
                    chunk.accept(events);
                    events = new ArrayList<>(size);
                }
                events.add(e);
            }
        }
        if (!events.isEmpty()) {
            chunk.accept(events);
        }
    }

    /** Every event held of these sessions. */
    public List<PlaybackEvent> eventsOf(Collection<String> sessions) throws SQLException {
        List<PlaybackEvent> events = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(OF_SESSION)) {
            for (String session : sessions) {
                select.setString(1, session);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        events.add(EventCodec.parse(rows.getString(1).getBytes(StandardCharsets.UTF_8)));
                    }
                }
            }
        }
        return events;
    }

    /**
     * Up to {@code limit} sessions with events received before {@code cutoff} (epoch millis), in the order of their
     * ids from the first after {@code after} ("" for the first of all).
     */
    public List<String> sessionsBefore(long cutoff, String after, int limit) throws SQLException {
        List<String> sessions = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(RECEIVED_BEFORE)) {
            select.setLong(1, cutoff);
            select.setString(2, after);
            select.setInt(3, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    sessions.add(rows.getString(1));
                }
            }
        }
        return sessions;
    }

    /** Drops the sessions' events received before {@code cutoff}: how many. */
    public int forget(Collection<String> sessions, long cutoff) throws SQLException {
        if (sessions.isEmpty()) {
            return 0;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement delete = c.prepareStatement(DELETE)) {
            for (String session : sessions) {
                delete.setString(1, session);
                delete.setLong(2, cutoff);
                delete.addBatch();
            }
            int dropped = 0;
            for (int n : delete.executeBatch()) {
                dropped += Math.max(0, n);
            }
            return dropped;
        }
    }

    /** How many events are held. */
    public long size() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement count = c.prepareStatement(COUNT);
             ResultSet rows = count.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
