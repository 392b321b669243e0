package io.orrery.viewinghistory.internal.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.store.JdbcStore;
import io.orrery.store.testing.PostgresServer;
import io.orrery.viewinghistory.internal.history.HistoryEntry;
import io.orrery.viewinghistory.internal.history.HistoryTable;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The validator's comparison on both databases the store supports (H2 and a real PostgreSQL), with the tables
 * the subsystem's migrations create: equal sets agree; each kind of difference is counted once and named.
 */
class ShadowValidatorIT {

    private static PostgresServer postgres;
    private static JdbcStore onPostgres;
    private static JdbcStore onH2;

    @BeforeAll
    static void start() {
        postgres = PostgresServer.start();
        onPostgres = JdbcStore.open(postgres.createDatabase("vh_shadow"), postgres.user(), postgres.password(), 2);
        onPostgres.migrate("viewinghistory", ShadowValidatorIT.class.getClassLoader());
        onH2 = JdbcStore.open("jdbc:h2:mem:vh-shadow-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        onH2.migrate("viewinghistory", ShadowValidatorIT.class.getClassLoader());
    }

    @AfterAll
    static void stop() {
        if (onPostgres != null) {
            onPostgres.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (onH2 != null) {
            onH2.close();
        }
    }

    @Test
    void findsEveryKindOfDifferenceOnPostgres() throws Exception {
        findsEveryKindOfDifference(onPostgres);
    }

    @Test
    void findsEveryKindOfDifferenceOnH2() throws Exception {
        findsEveryKindOfDifference(onH2);
    }

    private static void findsEveryKindOfDifference(JdbcStore store) throws Exception {
        HistoryTable primary = new HistoryTable(store.dataSource());
        HistoryTable shadow = new HistoryTable(store.dataSource(), HistoryTable.SHADOW);
        ShadowValidator validator = new ShadowValidator(primary, shadow);
        assertThat(validator.validate(10)).isEqualTo(new ShadowReport(0, 0, 0, 0, List.of()));
        for (int i = 0; i < 20; i++) {
            HistoryEntry entry = entry("s" + i, "u" + (i % 5), "t" + (i % 3), 1000L * i, 100L * i);
            assertThat(primary.save(entry)).isTrue();
            // the other path counts its own versions: they are not compared
            assertThat(shadow.save(withVersion(entry, 7))).isTrue();
        }
        ShadowReport clean = validator.validate(10);
        assertThat(clean.mismatches()).isZero();
        assertThat(clean.entriesCompared()).isEqualTo(20);
        assertThat(clean.bookmarksCompared()).isEqualTo(15); // 5 users x 3 titles
        // the user hid an entry of the store they read: not a difference of the paths
        assertThat(primary.hide("u1", "s1")).isTrue();
        assertThat(validator.validate(10).mismatches()).isZero();

        // a later computation on one path only: its entry and its bookmark differ
        shadow.save(new HistoryEntry("s19", "u4", "t1", "tv", 1, 1000L * 19 + 500, 55, 100L * 19 + 5, false, 8));
        sql(store, "DELETE FROM vh_entries WHERE session_id = 's3'");
        sql(store, "DELETE FROM vh_shadow_entries WHERE session_id = 's4'");
        sql(store, "UPDATE vh_shadow_entries SET device = 'phone' WHERE session_id = 's5'");
        ShadowReport report = validator.validate(10);
        Map<String, String> listed = report.listed().stream().collect(Collectors.toMap(
                m -> m.kind() + " " + m.key(), ShadowReport.Mismatch::detail));
        assertThat(listed).containsOnlyKeys("ENTRY s19", "ENTRY s3", "ENTRY s4", "ENTRY s5", "BOOKMARK u4/t1");
        assertThat(listed.get("ENTRY s19")).isEqualTo("endedAt 19000 (primary) vs 19500 (shadow), "
                + "watchedMs 1900 (primary) vs 55 (shadow), lastPositionMs 1900 (primary) vs 1905 (shadow)");
        assertThat(listed.get("ENTRY s3")).isEqualTo("missing from the primary store");
        assertThat(listed.get("ENTRY s4")).isEqualTo("missing from the shadow store");
        assertThat(listed.get("ENTRY s5")).isEqualTo("device tv (primary) vs phone (shadow)");
        assertThat(listed.get("BOOKMARK u4/t1")).isEqualTo("positionMs 1900 (primary) vs 1905 (shadow), "
                + "updatedAt 19000 (primary) vs 19500 (shadow)");
        assertThat(report.entryMismatches()).isEqualTo(4);
        assertThat(report.bookmarkMismatches()).isEqualTo(1);
        assertThat(report.entriesCompared()).isEqualTo(20);
        assertThat(validator.last()).isEqualTo(report);
        // a listing of one still counts all five
        ShadowReport one = validator.validate(1);
        assertThat(one.listed()).hasSize(1);
        assertThat(one.mismatches()).isEqualTo(5);
    }

    private static HistoryEntry entry(String session, String user, String title, long endedAt, long position) {
        return new HistoryEntry(session, user, title, "tv", 1, endedAt, position, position, false, 1);
    }

    private static HistoryEntry withVersion(HistoryEntry e, long version) {
        return new HistoryEntry(e.sessionId(), e.userId(), e.titleId(), e.device(), e.startedAt(), e.endedAt(),
                e.watchedMs(), e.lastPositionMs(), e.hidden(), version);
    }

    private static void sql(JdbcStore store, String statement) throws Exception {
        try (Connection c = store.dataSource().getConnection(); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate(statement)).isEqualTo(1);
        }
    }
}
