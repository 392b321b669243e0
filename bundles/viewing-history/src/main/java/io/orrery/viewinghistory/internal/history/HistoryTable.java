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
 * entry's end moves the bookmark with it. A computation of another lifetime of the session's state (the grid lost
 * the state, and late events began a new one) completes the row rather than replace it ({@link EntryMerge}). Plain
 * SQL that H2 and PostgreSQL both run.
 */
public final class HistoryTable {

    /** The table names' prefix of the primary set; the shadow set's (shadow mode) is {@link #SHADOW}. */
    public static final String PRIMARY = "vh_";
    public static final String SHADOW = "vh_shadow_";
    /** Attempts to save an entry against its stored row before other writers' changes are taken for a failure. */
    private static final int RACES = 5;

    private final DataSource dataSource;
    private final String entries;
    private final String bookmarks;
    private final String updateEntry;
    private final String swapEntry;
    private final String storedEntry;
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
                + "WHERE session_id = ? AND version >= ? AND version < ?";
        // compare-and-set on all a merge reads: a racing merge may keep the version but always changes one of these
        this.swapEntry = "UPDATE " + entries + " SET user_id = ?, title_id = ?, device = ?, "
                + "started_at = ?, ended_at = ?, watched_ms = ?, last_position_ms = ?, version = ? "
                + "WHERE session_id = ? AND version = ? AND started_at = ? AND ended_at = ? AND watched_ms = ? "
                + "AND last_position_ms = ?";
        this.storedEntry = "SELECT session_id, user_id, title_id, device, started_at, ended_at, watched_ms, "
                + "last_position_ms, hidden, version FROM " + entries + " WHERE session_id = ?";
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
                Set<String> changed = new HistoryBatch(this).save(c, batch);
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

    /** A correction within the row's lifetime, else a new row, else what {@link EntryMerge} makes of the two. */
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
        }
        // The row is of another lifetime, merged, or as new as ours; or another writer was first.
        for (int attempt = 0; attempt < RACES; attempt++) {
            Settled settled = settle(c, e);
            if (settled != Settled.RACED) {
                return settled == Settled.CHANGED;
            }
        }
        throw new SQLException("entry " + e.sessionId() + " changed under each of " + RACES + " attempts to save it");
    }

    private int updateEntry(Connection c, HistoryEntry e) throws SQLException {
        try (PreparedStatement update = prepareUpdate(c)) {
            return update(update, e);
        }
    }

    PreparedStatement prepareUpdate(Connection c) throws SQLException {
        return c.prepareStatement(updateEntry);
    }

    /**
     * Replaces the row with {@code e} when it is a newer computation of the row's own lifetime (and the row is not
     * merged): how many rows changed.
     */
    static int update(PreparedStatement update, HistoryEntry e) throws SQLException {
        bindEntry(update, e);
        update.setLong(10, EntryMerge.lifetimeStart(e.version()));
        update.setLong(11, e.version());
        return update.executeUpdate();
    }

    /** What {@link #settle} did. */
    enum Settled { CHANGED, UNCHANGED, RACED }

    /**
     * Saves what {@link EntryMerge} makes of {@code e} and the row as read now, unless another writer changed the row
     * in between (RACED, as when the row is not there).
     */
    Settled settle(Connection c, HistoryEntry e) throws SQLException {
        HistoryEntry stored = stored(c, e.sessionId());
        if (stored == null) {
            return Settled.RACED;
        }
        HistoryEntry next = EntryMerge.next(stored, e);
        if (next == null) {
            return Settled.UNCHANGED;
        }
        try (PreparedStatement swap = c.prepareStatement(swapEntry)) {
            bindEntry(swap, next);
            swap.setLong(10, stored.version());
            swap.setLong(11, stored.startedAt());
            swap.setLong(12, stored.endedAt());
            swap.setLong(13, stored.watchedMs());
            swap.setLong(14, stored.lastPositionMs());
            return swap.executeUpdate() > 0 ? Settled.CHANGED : Settled.RACED;
        }
    }

    private HistoryEntry stored(Connection c, String sessionId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(storedEntry)) {
            s.setString(1, sessionId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? entry(r) : null;
            }
        }
    }

    private static HistoryEntry entry(ResultSet r) throws SQLException {
        return new HistoryEntry(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getLong(5),
                r.getLong(6), r.getLong(7), r.getLong(8), r.getBoolean(9), r.getLong(10));
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
                    entries.add(entry(r));
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
