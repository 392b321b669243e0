package io.orrery.viewinghistory.internal;

import io.orrery.viewinghistory.internal.history.Bookmark;
import io.orrery.viewinghistory.internal.history.HistoryEntry;
import io.orrery.viewinghistory.internal.history.HistoryTable;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What a store holds for some users, read back in the shapes {@link PlaybackStream} expects. */
public final class StoredHistory {

    private StoredHistory() {
    }

    /** Every stored entry of these users, by session, with the version zeroed; fails on a session stored twice. */
    public static Map<String, HistoryEntry> entries(HistoryTable table, List<String> users) throws SQLException {
        Map<String, HistoryEntry> entries = new HashMap<>();
        for (String user : users) {
            for (HistoryEntry e : table.entries(user)) {
                HistoryEntry previous = entries.put(e.sessionId(), new HistoryEntry(e.sessionId(), e.userId(),
                        e.titleId(), e.device(), e.startedAt(), e.endedAt(), e.watchedMs(), e.lastPositionMs(),
                        e.hidden(), 0));
                if (previous != null) {
                    throw new AssertionError("session " + e.sessionId() + " stored twice");
                }
            }
        }
        return entries;
    }

    /** Every bookmark of these users, by user and title. */
    public static Map<String, Map<String, Bookmark>> bookmarks(HistoryTable table, List<String> users)
            throws SQLException {
        Map<String, Map<String, Bookmark>> all = new HashMap<>();
        for (String user : users) {
            for (Bookmark b : table.bookmarks(user)) {
                all.computeIfAbsent(user, u -> new HashMap<>()).put(b.titleId(), b);
            }
        }
        return all;
    }
}
