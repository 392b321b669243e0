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
 * The durable viewing history: entries in the store, and bookmarks derived from them when read (per user and
 * title, the entry with the latest end; migration V3), so a session's write is its entry's row alone. Writes are
 * idempotent and ordered by the session state's version, so redelivered or racing writes of one session leave the
 * newest computation, and an entry's {@code hidden} flag survives its corrections; a correction that moves an
 * entry's end moves the bookmark with it. Plain SQL that H2 and PostgreSQL both run.
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
    private final String userBookmarks;

    public HistoryTable(DataSource dataSource) {
        this(dataSource, PRIMARY);
    }

    /**
     * The table {@code <prefix>entries} and the view {@code <prefix>bookmarks}, as the subsystem's migrations
     * create them.
     */
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
        // the view's window over one user's rows (the user's index), so a read never ranks other users' entries
        this.userBookmarks = "SELECT title_id, last_position_ms, ended_at FROM (SELECT title_id, last_position_ms, "
                + "ended_at, ROW_NUMBER() OVER (PARTITION BY title_id ORDER BY ended_at DESC, session_id DESC) "
                + "AS latest FROM " + entries + " WHERE user_id = ?) ranked WHERE latest = 1 ORDER BY title_id";
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** The entries table's name. */
    public String entriesTable() {
        return entries;
    }

    /** The bookmarks view's name (derived from the entries table). */
    public String bookmarksTable() {
        return bookmarks;
    }

    /** Saves an entry unless the store holds a newer (or the same) version. Whether the entry changed. */
    public boolean save(HistoryEntry entry) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            return upsert(c, entry);
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
                Set<String> changed = new HistoryBatch(entries, updateEntry).save(c, batch);
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

    /**
     * A user's bookmarks, by title: per title, the last position and end of the entry that ended last (equal ends:
     * the larger session id), as the bookmarks view defines them.
     */
    public List<Bookmark> bookmarks(String userId) throws SQLException {
        List<Bookmark> bookmarks = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(userBookmarks)) {
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
