package io.orrery.viewinghistory.internal.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The durable viewing history: entries and bookmarks in the store. Writes are idempotent and ordered by the
 * session state's version, so redelivered or racing writes of one session leave the newest computation, and
 * an entry's {@code hidden} flag survives its corrections. Plain SQL that H2 and PostgreSQL both run.
 */
public final class HistoryTable {

    /** The table names' prefix of the primary set; the shadow set's (shadow mode) is {@link #SHADOW}. */
    public static final String PRIMARY = "vh_";
    public static final String SHADOW = "vh_shadow_";

    private final DataSource dataSource;
    private final String entries;
    private final String bookmarks;
    private final String updateEntry;
    private final String insertEntry;
    private final String updateBookmark;
    private final String insertBookmark;

    public HistoryTable(DataSource dataSource) {
        this(dataSource, PRIMARY);
    }

    /** The tables {@code <prefix>entries} and {@code <prefix>bookmarks}, as the subsystem's migrations create them. */
    public HistoryTable(DataSource dataSource, String prefix) {
        if (!PRIMARY.equals(prefix) && !SHADOW.equals(prefix)) {
            throw new IllegalArgumentException("prefix: " + PRIMARY + " or " + SHADOW + ", got " + prefix);
        }
        this.dataSource = dataSource;
        this.entries = prefix + "entries";
        this.bookmarks = prefix + "bookmarks";
        this.updateEntry = "UPDATE " + entries + " SET user_id = ?, title_id = ?, device = ?, "
                + "started_at = ?, ended_at = ?, watched_ms = ?, last_position_ms = ?, version = ? "
                + "WHERE session_id = ? AND version < ?";
        this.insertEntry = "INSERT INTO " + entries + " (user_id, title_id, device, started_at, "
                + "ended_at, watched_ms, last_position_ms, version, session_id, hidden) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE)";
        this.updateBookmark = "UPDATE " + bookmarks + " SET position_ms = ?, updated_at = ?, "
                + "session_id = ? WHERE user_id = ? AND title_id = ? AND (session_id = ? OR updated_at < ? "
                + "OR (updated_at = ? AND session_id < ?))";
        this.insertBookmark = "INSERT INTO " + bookmarks + " (position_ms, updated_at, session_id, "
                + "user_id, title_id) VALUES (?, ?, ?, ?, ?)";
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** The entries table's name. */
    public String entriesTable() {
        return entries;
    }

    /** The bookmarks table's name. */
    public String bookmarksTable() {
        return bookmarks;
    }

    /**
     * Saves an entry unless the store holds a newer (or the same) version, and then the user's bookmark for the
     * title when this session ended last. Whether the entry changed.
     */
    public boolean save(HistoryEntry entry) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            boolean changed = upsert(c, entry);
            if (changed) {
                bookmark(c, entry);
            }
            return changed;
        }
    }

    /**
     * Saves entries as {@link #save} does, all in one transaction of a few statements ({@link HistoryBatch}): the
     * session ids whose entry changed. Throws, with nothing saved, when any statement fails, including a race lost
     * to another writer (which aborts a PostgreSQL transaction); the caller then saves one by one.
     */
    public Set<String> saveAll(Collection<HistoryEntry> batch) throws SQLException {
        if (batch.isEmpty()) {
            return Set.of();
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Set<String> changed = new HistoryBatch(entries, bookmarks, updateEntry, updateBookmark).save(c, batch);
                c.commit();
                return changed;
            } catch (SQLException | RuntimeException failure) {
                c.rollback();
                throw failure;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private boolean upsert(Connection c, HistoryEntry e) throws SQLException {
        if (updateEntry(c, e) > 0) {
            return true;
        }
        try (PreparedStatement insert = c.prepareStatement(insertEntry)) {
            bindEntry(insert, e);
            return insert.executeUpdate() > 0;
        } catch (SQLException race) {
            if (!isDuplicate(race)) {
                throw race;
            }
            // Another writer inserted it first: ours replaces it only if newer.
            return updateEntry(c, e) > 0;
        }
    }

    private int updateEntry(Connection c, HistoryEntry e) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(updateEntry)) {
            bindEntry(update, e);
            update.setLong(10, e.version());
            return update.executeUpdate();
        }
    }

    private static void bindEntry(PreparedStatement s, HistoryEntry e) throws SQLException {
        bindEntry(s, 0, e);
    }

    /** The entry's nine parameters, after the first {@code at} of the statement. */
    static void bindEntry(PreparedStatement s, int at, HistoryEntry e) throws SQLException {
        s.setString(at + 1, e.userId());
        s.setString(at + 2, e.titleId());
        s.setString(at + 3, e.device());
        s.setLong(at + 4, e.startedAt());
        s.setLong(at + 5, e.endedAt());
        s.setLong(at + 6, e.watchedMs());
        s.setLong(at + 7, e.lastPositionMs());
        s.setLong(at + 8, e.version());
        s.setString(at + 9, e.sessionId());
    }

    private void bookmark(Connection c, HistoryEntry e) throws SQLException {
        if (updateBookmark(c, e) > 0) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement(insertBookmark)) {
            bindBookmarkInsert(insert, e);
            insert.executeUpdate();
        } catch (SQLException race) {
            if (!isDuplicate(race)) {
                throw race;
            }
            updateBookmark(c, e);
        }
    }

    private int updateBookmark(Connection c, HistoryEntry e) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(updateBookmark)) {
            bindBookmarkUpdate(update, e);
            return update.executeUpdate();
        }
    }

    static void bindBookmarkUpdate(PreparedStatement update, HistoryEntry e) throws SQLException {
        update.setLong(1, e.lastPositionMs());
        update.setLong(2, e.endedAt());
        update.setString(3, e.sessionId());
        update.setString(4, e.userId());
        update.setString(5, e.titleId());
        update.setString(6, e.sessionId());
        update.setLong(7, e.endedAt());
        update.setLong(8, e.endedAt());
        update.setString(9, e.sessionId());
    }

    private static void bindBookmarkInsert(PreparedStatement insert, HistoryEntry e) throws SQLException {
        bindBookmarkInsert(insert, 0, e);
    }

    /** The bookmark's five insert parameters, after the first {@code at} of the statement. */
    static void bindBookmarkInsert(PreparedStatement insert, int at, HistoryEntry e) throws SQLException {
        insert.setLong(at + 1, e.lastPositionMs());
        insert.setLong(at + 2, e.endedAt());
        insert.setString(at + 3, e.sessionId());
        insert.setString(at + 4, e.userId());
        insert.setString(at + 5, e.titleId());
    }

    /** Every entry of a user, newest first (by end, then session id). */
    public List<HistoryEntry> entries(String userId) throws SQLException {
        String sql = "SELECT session_id, user_id, title_id, device, started_at, ended_at, watched_ms, "
                + "last_position_ms, hidden, version FROM " + entries + " WHERE user_id = ? "
                + "ORDER BY ended_at DESC, session_id DESC";
        List<HistoryEntry> entries = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, userId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    entries.add(new HistoryEntry(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                            r.getLong(5), r.getLong(6), r.getLong(7), r.getLong(8), r.getBoolean(9), r.getLong(10)));
                }
            }
        }
        return entries;
    }

    /** A user's bookmarks, by title. */
    public List<Bookmark> bookmarks(String userId) throws SQLException {
        String sql = "SELECT title_id, position_ms, updated_at FROM " + bookmarks + " WHERE user_id = ? ORDER BY title_id";
        List<Bookmark> bookmarks = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, userId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    bookmarks.add(new Bookmark(r.getString(1), r.getLong(2), r.getLong(3)));
                }
            }
        }
        return bookmarks;
    }

    /** Hides one of the user's entries; false when the user has no such session. */
    public boolean hide(String userId, String sessionId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE " + entries
                     + " SET hidden = TRUE WHERE user_id = ? AND session_id = ?")) {
            s.setString(1, userId);
            s.setString(2, sessionId);
            return s.executeUpdate() > 0;
        }
    }

    /**
     * A unique-key violation (SQLSTATE 23505 on H2 and PostgreSQL alike): another writer inserted the row first.
     * Other integrity violations are failures, not races, and must reach the caller (and the retry queue).
     */
    private static boolean isDuplicate(SQLException e) {
        return "23505".equals(e.getSQLState());
    }
}
