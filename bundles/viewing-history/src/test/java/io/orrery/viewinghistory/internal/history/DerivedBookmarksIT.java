package io.orrery.viewinghistory.internal.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bookmarks are derived from the entries (migration V3), on H2 and on PostgreSQL: per user and title the entry
 * with the latest end, whichever path wrote it (one by one or in a batch) and in whatever order corrections came.
 * A correction that ends a session later moves the bookmark to it, one that ends earlier than the bookmark's
 * does not, a stale version changes nothing, and the bookmarks view answers what {@link HistoryTable#bookmarks}
 * does.
 */
class DerivedBookmarksIT {

    @RegisterExtension
    static final HistoryStores STORES = new HistoryStores();

    @Test
    void lateCorrectionsMoveTheBookmarkOnlyWhenTheyEndLaterOnH2() throws Exception {
        lateCorrectionsMoveTheBookmarkOnlyWhenTheyEndLater(
                new HistoryTable(STORES.h2("vh-bookmarks")));
    }

    @Test
    void lateCorrectionsMoveTheBookmarkOnlyWhenTheyEndLaterOnPostgres() throws Exception {
        lateCorrectionsMoveTheBookmarkOnlyWhenTheyEndLater(new HistoryTable(STORES.postgres("vh_bookmarks")));
    }

    private static void lateCorrectionsMoveTheBookmarkOnlyWhenTheyEndLater(HistoryTable table) throws Exception {
        assertThat(table.bookmarks("u")).isEmpty();
        assertThat(table.saveAll(List.of(entry("a", "t", 2_000, 10, 1), entry("b", "t", 3_000, 20, 1),
                entry("c", "other", 1_000, 5, 1)))).isEqualTo(Set.of("a", "b", "c"));
        assertBookmarks(table, new Bookmark("other", 5, 1_000), new Bookmark("t", 20, 3_000));

        // a late event of a ends it after b: the bookmark moves to a
        assertThat(table.saveAll(List.of(entry("a", "t", 4_000, 30, 2)))).containsExactly("a");
        assertBookmarks(table, new Bookmark("other", 5, 1_000), new Bookmark("t", 30, 4_000));
        // a late event of b ends it later than before but still before a: b's entry changes, not the bookmark
        assertThat(table.save(entry("b", "t", 3_500, 25, 2))).isTrue();
        assertThat(table.entries("u")).filteredOn(e -> e.sessionId().equals("b")).singleElement()
                .extracting(HistoryEntry::endedAt).isEqualTo(3_500L);
        assertBookmarks(table, new Bookmark("other", 5, 1_000), new Bookmark("t", 30, 4_000));
        // an older computation of b that ended last is no correction: nothing changes
        assertThat(table.saveAll(List.of(entry("b", "t", 9_000, 90, 1)))).isEmpty();
        assertThat(table.save(entry("b", "t", 9_000, 90, 2))).isFalse();
        assertBookmarks(table, new Bookmark("other", 5, 1_000), new Bookmark("t", 30, 4_000));
        // a correction that ends a earlier than b hands the bookmark back to b
        assertThat(table.save(entry("a", "t", 3_000, 35, 3))).isTrue();
        assertBookmarks(table, new Bookmark("other", 5, 1_000), new Bookmark("t", 25, 3_500));
        // equal ends: the larger session id, in one batch as one by one; hiding an entry keeps its bookmark
        assertThat(table.saveAll(List.of(entry("d", "t", 3_500, 40, 1), entry("a0", "t", 3_500, 45, 1))))
                .isEqualTo(Set.of("d", "a0"));
        assertBookmarks(table, new Bookmark("other", 5, 1_000), new Bookmark("t", 40, 3_500));
        assertThat(table.hide("u", "d")).isTrue();
        assertBookmarks(table, new Bookmark("other", 5, 1_000), new Bookmark("t", 40, 3_500));
        // another user's entries are not this user's bookmarks
        assertThat(table.save(new HistoryEntry("z", "v", "t", "tv", 1, 99_000, 1, 7, false, 1))).isTrue();
        assertBookmarks(table, new Bookmark("other", 5, 1_000), new Bookmark("t", 40, 3_500));
        assertThat(table.bookmarks("v")).containsExactly(new Bookmark("t", 7, 99_000));
    }

    /** The user's bookmarks, as the table reads them and as the bookmarks view holds them. */
    private static void assertBookmarks(HistoryTable table, Bookmark... expected) throws Exception {
        assertThat(table.bookmarks("u")).containsExactly(expected);
        List<Bookmark> viewed = new ArrayList<>();
        try (Connection c = table.dataSource().getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT title_id, position_ms, updated_at FROM " + table.bookmarksTable()
                        + " WHERE user_id = ? ORDER BY title_id")) {
            s.setString(1, "u");
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    viewed.add(new Bookmark(r.getString(1), r.getLong(2), r.getLong(3)));
                }
            }
        }
        assertThat(viewed).containsExactly(expected);
    }

    private static HistoryEntry entry(String session, String title, long endedAt, long position, long version) {
        return new HistoryEntry(session, "u", title, "tv", 1, endedAt, position, position, false, version);
    }

}
