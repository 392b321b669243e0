package io.orrery.viewinghistory.internal.shadow;

import io.orrery.viewinghistory.internal.history.HistoryTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

/**
 * Compares what the request path wrote (the primary tables) with what the Kafka processor wrote (the shadow
 * tables) in shadow mode: every session's entry and every user's bookmark per title, field by field, in the
 * database (joins both H2 and PostgreSQL run, so a large history is not pulled into memory). A session still in
 * flight on one path shows as missing until that path writes it: validate once the processor has no lag.
 * {@code hidden} is left out (users hide entries in the store they read, the primary) and so is the version
 * (each path counts its own).
 */
public final class ShadowValidator {

    private static final String[][] ENTRY_FIELDS = {{"user_id", "userId"}, {"title_id", "titleId"},
            {"device", "device"}, {"started_at", "startedAt"}, {"ended_at", "endedAt"}, {"watched_ms", "watchedMs"},
            {"last_position_ms", "lastPositionMs"}};
    private static final String[][] BOOKMARK_FIELDS = {{"position_ms", "positionMs"}, {"updated_at", "updatedAt"}};

    private final DataSource dataSource;
    private final HistoryTable primary;
    private final HistoryTable shadow;
    private final AtomicReference<ShadowReport> last = new AtomicReference<>(ShadowReport.NONE);

    public ShadowValidator(HistoryTable primary, HistoryTable shadow) {
        this.dataSource = primary.dataSource();
        this.primary = primary;
        this.shadow = shadow;
    }

    /** Compares the two stores now; counts every mismatch and lists the first {@code limit}. */
    public ShadowReport validate(int limit) throws SQLException {
        List<ShadowReport.Mismatch> listed = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            long entries = count(c, "SELECT COUNT(*) FROM " + primary.entriesTable()) + count(c, missing(
                    shadow.entriesTable(), primary.entriesTable(), "session_id"));
            long entryMismatches = compare(c, ShadowReport.Kind.ENTRY, primary.entriesTable(), shadow.entriesTable(),
                    new String[] {"session_id"}, ENTRY_FIELDS, limit, listed);
            long bookmarks = count(c, "SELECT COUNT(*) FROM " + primary.bookmarksTable()) + count(c, missing(
                    shadow.bookmarksTable(), primary.bookmarksTable(), "user_id", "title_id"));
            long bookmarkMismatches = compare(c, ShadowReport.Kind.BOOKMARK, primary.bookmarksTable(),
                    shadow.bookmarksTable(), new String[] {"user_id", "title_id"}, BOOKMARK_FIELDS, limit, listed);
            ShadowReport report = new ShadowReport(entries, entryMismatches, bookmarks, bookmarkMismatches,
                    List.copyOf(listed));
            last.set(report);
            return report;
        }
    }

    /** The last comparison's result (nothing compared before the first). */
    public ShadowReport last() {
        return last.get();
    }

    private static long compare(Connection c, ShadowReport.Kind kind, String primaryTable, String shadowTable,
                                String[] key, String[][] fields, int limit, List<ShadowReport.Mismatch> listed)
            throws SQLException {
        StringBuilder select = new StringBuilder("SELECT ");
        StringBuilder differs = new StringBuilder("s." + key[0] + " IS NULL");
        for (String k : key) {
            select.append("p.").append(k).append(", ");
        }
        for (String[] f : fields) {
            select.append("p.").append(f[0]).append(", s.").append(f[0]).append(", ");
            differs.append(" OR p.").append(f[0]).append(" <> s.").append(f[0]);
        }
        select.append("s.").append(key[0]).append(" FROM ").append(primaryTable).append(" p LEFT JOIN ")
                .append(shadowTable).append(" s ON ").append(join(key)).append(" WHERE ").append(differs);
        long mismatches = 0;
        try (PreparedStatement s = c.prepareStatement(select.toString()); ResultSet r = s.executeQuery()) {
            while (r.next()) {
                if (listed.size() < limit) {
                    listed.add(new ShadowReport.Mismatch(kind, key(r, key.length), difference(r, key.length, fields)));
                }
                mismatches++;
            }
        }
        String onlyShadow = "SELECT " + String.join(", ", key) + " FROM " + shadowTable + " s WHERE NOT EXISTS "
                + "(SELECT 1 FROM " + primaryTable + " p WHERE " + join(key) + ")";
        try (PreparedStatement s = c.prepareStatement(onlyShadow); ResultSet r = s.executeQuery()) {
            while (r.next()) {
                if (listed.size() < limit) {
                    listed.add(new ShadowReport.Mismatch(kind, key(r, key.length), "missing from the primary store"));
                }
                mismatches++;
            }
        }
        return mismatches;
    }

    private static String difference(ResultSet r, int keys, String[][] fields) throws SQLException {
        if (r.getString(keys + fields.length * 2 + 1) == null) {
            return "missing from the shadow store";
        }
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < fields.length; i++) {
            String p = r.getString(keys + 2 * i + 1);
            String s = r.getString(keys + 2 * i + 2);
            if (!p.equals(s)) {
                differences.add(fields[i][1] + " " + p + " (primary) vs " + s + " (shadow)");
            }
        }
        return String.join(", ", differences);
    }

    private static String key(ResultSet r, int keys) throws SQLException {
        StringBuilder key = new StringBuilder(r.getString(1));
        for (int i = 2; i <= keys; i++) {
            key.append('/').append(r.getString(i));
        }
        return key.toString();
    }

    private static String join(String[] key) {
        StringBuilder on = new StringBuilder();
        for (String k : key) {
            on.append(on.isEmpty() ? "" : " AND ").append("s.").append(k).append(" = p.").append(k);
        }
        return on.toString();
    }

    private static String missing(String table, String other, String... key) {
        return "SELECT COUNT(*) FROM " + table + " s WHERE NOT EXISTS (SELECT 1 FROM " + other + " p WHERE "
                + join(key) + ")";
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }
}
