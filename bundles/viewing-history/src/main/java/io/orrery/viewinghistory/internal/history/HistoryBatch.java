package io.orrery.viewinghistory.internal.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Saves a batch of entries in one transaction with a handful of statements instead of several per entry: the
 * stored versions read at once, new rows inserted many to a statement, and only existing rows updated one by one
 * (with {@link HistoryTable#save}'s own conditional update). A row of another lifetime of the session's state, or
 * merged ({@link EntryMerge}), is rare and settled row by row as {@link HistoryTable#save} settles it. Bookmarks are
 * not written: they are derived from the entries when read. The outcome is that of {@link HistoryTable#save}
 * applied to each entry in session order. A writer that raced this one (an entry changed since it was read, a row
 * inserted first) makes the batch fail whole, and the caller falls back to one by one.
 *
 * <p>Every statement's text is one of a fixed few (key lists padded to a full chunk, rows beyond the last full chunk
 * inserted through a JDBC batch of one-row inserts), so the database parses each once per connection instead of once
 * per batch; statements are prepared only when there is something for them to do.
 */
final class HistoryBatch {

    /** Rows (or keys) per statement: bounded, so no statement grows with the batch. */
    private static final int CHUNK = 50;
    private static final String ENTRY_COLUMNS = "(user_id, title_id, device, started_at, ended_at, watched_ms, "
            + "last_position_ms, version, session_id, hidden)";

    private final HistoryTable table;
    private final String entries;

    HistoryBatch(HistoryTable table) {
        this.table = table;
        this.entries = table.entriesTable();
    }

    /** The session ids whose entry changed. */
    Set<String> save(Connection c, Collection<HistoryEntry> batch) throws SQLException {
        List<HistoryEntry> sorted = new ArrayList<>(batch);
        sorted.sort(Comparator.comparing(HistoryEntry::sessionId));
        Map<String, Long> stored = storedVersions(c, sorted);
        List<HistoryEntry> inserted = new ArrayList<>();
        List<HistoryEntry> changed = new ArrayList<>();
        List<HistoryEntry> updated = new ArrayList<>();
        for (HistoryEntry e : sorted) {
            Long version = stored.get(e.sessionId());
            if (version == null) {
                inserted.add(e);
                changed.add(e);
            } else if (!EntryMerge.sameLifetime(version, e.version())) {
                if (settle(c, e)) {
                    changed.add(e);
                }
            } else if (version < e.version()) {
                updated.add(e);
                changed.add(e);
            }
        }
        if (!updated.isEmpty()) {
            try (PreparedStatement update = table.prepareUpdate(c)) {
                for (HistoryEntry e : updated) {
                    if (HistoryTable.update(update, e) == 0) {
                        throw new SQLException("entry " + e.sessionId() + " changed while the batch was written");
                    }
                }
            }
        }
        insertRows(c, "INSERT INTO " + entries + " " + ENTRY_COLUMNS + " VALUES ", "(?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE)",
                inserted, HistoryTable::bindEntry, 9);
        Set<String> ids = new HashSet<>();
        changed.forEach(e -> ids.add(e.sessionId()));
        return ids;
    }

    /** Merges into a row of another lifetime, or a merged one: whether it changed. */
    private boolean settle(Connection c, HistoryEntry e) throws SQLException {
        HistoryTable.Settled settled = table.settle(c, e);
        if (settled == HistoryTable.Settled.RACED) {
            throw new SQLException("entry " + e.sessionId() + " changed while the batch was written");
        }
        return settled == HistoryTable.Settled.CHANGED;
    }

    private Map<String, Long> storedVersions(Connection c, List<HistoryEntry> sorted) throws SQLException {
        Map<String, Long> versions = new HashMap<>();
        for (List<HistoryEntry> chunk : chunks(sorted)) {
            String sql = "SELECT session_id, version FROM " + entries + " WHERE session_id IN ("
                    + "?, ".repeat(CHUNK - 1) + "?)";
            try (PreparedStatement s = c.prepareStatement(sql)) {
                for (int i = 0; i < CHUNK; i++) {   // a short chunk repeats its last key: same text, same answer
                    s.setString(i + 1, chunk.get(Math.min(i, chunk.size() - 1)).sessionId());
                }
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        versions.put(r.getString(1), r.getLong(2));
                    }
                }
            }
        }
        return versions;
    }

    /** Binds one row's parameters after the first {@code at} of the statement. */
    interface RowBinding<T> {
        void bind(PreparedStatement statement, int at, T row) throws SQLException;
    }

    /** Full chunks as multi-row inserts of one text; the rest as one JDBC batch of one-row inserts. */
    private static <T> void insertRows(Connection c, String head, String row, List<T> rows, RowBinding<T> binding,
                                       int parameters) throws SQLException {
        int full = rows.size() / CHUNK * CHUNK;
        if (full > 0) {
            try (PreparedStatement s = c.prepareStatement(head + (row + ", ").repeat(CHUNK - 1) + row)) {
                for (int at = 0; at < full; at += CHUNK) {
                    for (int i = 0; i < CHUNK; i++) {
                        binding.bind(s, i * parameters, rows.get(at + i));
                    }
                    s.executeUpdate();
                }
            }
        }
        if (full < rows.size()) {
            try (PreparedStatement s = c.prepareStatement(head + row)) {
                for (T rest : rows.subList(full, rows.size())) {
                    binding.bind(s, 0, rest);
                    s.addBatch();
                }
                s.executeBatch();
            }
        }
    }

    private static <T> List<List<T>> chunks(List<T> all) {
        List<List<T>> chunks = new ArrayList<>();
        for (int i = 0; i < all.size(); i += CHUNK) {
            chunks.add(all.subList(i, Math.min(all.size(), i + CHUNK)));
        }
        return chunks;
    }
}
