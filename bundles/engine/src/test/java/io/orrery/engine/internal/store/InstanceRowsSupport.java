package io.orrery.engine.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.fault.CrashPoints;
import io.orrery.engine.internal.EngineCrashPoints;
import io.orrery.store.JdbcStore;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The instance table's writes, on each store: revisions never go back, "new" rows that exist are merged, and a row
 * another member stores in the middle of a write still ends at the newer revision.
 */
abstract class InstanceRowsSupport {

    private JdbcStore store;
    private InstanceRows rows;

    abstract JdbcStore openStore();

    @BeforeEach
    void open() {
        store = openStore();
        store.migrate("engine", InstanceRows.class.getClassLoader());
        rows = new InstanceRows(store.dataSource());
    }

    @AfterEach
    void close() {
        CrashPoints.reset();
        store.close();
    }

    static InstanceRows.Row row(String key, long revision) {
        return new InstanceRows.Row("acme/wf/" + key, "acme", "wf", "IDLE", revision, revision,
                ("{\"r\":" + revision + "}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void newRowsAreInsertedManyAtATimeBesideUpdatesOfStoredOnes() throws Exception {
        rows.write(List.of(row("a", 1)));
        List<InstanceRows.Row> fresh = new java.util.ArrayList<>();
        for (int i = 0; i < 120; i++) {
            fresh.add(row("n" + i, 1));
        }
        rows.write(fresh, List.of(row("a", 4)));
        assertThat(rows.count()).isEqualTo(121);
        assertThat(rows.revision("acme/wf/a")).isEqualTo(4);
        assertThat(rows.revision("acme/wf/n119")).isEqualTo(1);
    }

    @Test
    void aNewRowThatExistsAlreadyIsMergedByRevisionAndTheRestStillWritten() throws Exception {
        rows.write(List.of(row("older", 2), row("newer", 9)));
        rows.write(List.of(row("older", 3), row("newer", 5), row("other", 1)), List.of());
        assertThat(rows.revision("acme/wf/older")).isEqualTo(3);
        assertThat(rows.revision("acme/wf/newer")).as("a row never goes back").isEqualTo(9);
        assertThat(rows.revision("acme/wf/other")).isEqualTo(1);
        assertThat(new String(rows.load("acme/wf/older"), StandardCharsets.UTF_8)).isEqualTo("{\"r\":3}");
    }

    @Test
    void aRowAnotherMemberStoresBetweenTheUpdateAndTheInsertEndsAtTheNewerRevision() throws Exception {
        // A survivor's recovery writes revision 4 of an instance the lost member never stored, while the member that
        // now owns it writes revision 5: the update of 5 finds no row, 4 is inserted and committed, then 5's insert
        // finds one.
        rows.write(List.of(row("other", 1)));
        beforeTheInsertAnotherMemberWrites(row("raced", 4));
        rows.write(List.of(row("raced", 5), row("other", 2)));
        assertThat(rows.revision("acme/wf/raced")).isEqualTo(5);
        assertThat(new String(rows.load("acme/wf/raced"), StandardCharsets.UTF_8)).isEqualTo("{\"r\":5}");
        assertThat(rows.revision("acme/wf/other")).isEqualTo(2);
    }

    @Test
    void aNewerRowStoredBetweenTheUpdateAndTheInsertIsNotTakenBack() throws Exception {
        beforeTheInsertAnotherMemberWrites(row("raced", 7));
        rows.write(List.of(row("raced", 5)));
        assertThat(rows.revision("acme/wf/raced")).as("a row never goes back").isEqualTo(7);
    }

    /** The next write that is about to insert missing rows lets another member write these first (and commit). */
    private void beforeTheInsertAnotherMemberWrites(InstanceRows.Row... written) {
        InstanceRows otherMember = new InstanceRows(store.dataSource());
        CrashPoints.arm(EngineCrashPoints.ROWS_UPDATED_BEFORE_INSERT, (point, scope) -> {
            CrashPoints.disarm(EngineCrashPoints.ROWS_UPDATED_BEFORE_INSERT);
            try {
                otherMember.write(List.of(written));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void pagesFollowTheIdOrderAfterTheCursor() throws Exception {
        rows.write(List.of(row("b", 1), row("a", 1), row("c", 1)));
        assertThat(rows.page("acme", "wf", null, "acme/wf/", 2)).extracting(InstanceRows.Row::id)
                .containsExactly("acme/wf/a", "acme/wf/b");
        assertThat(rows.page("acme", "wf", "IDLE", "acme/wf/b", 2)).extracting(InstanceRows.Row::id)
                .containsExactly("acme/wf/c");
        assertThat(rows.page("acme", "wf", "ACTIVE", "acme/wf/", 2)).isEmpty();
    }

    @Test
    void anyNumberOfNewRowsIsWrittenInTheThreeStatementShapes() throws Exception {
        // 0 rows, fewer than the smaller shape, and counts that need every shape and a remainder of single rows
        int total = 0;
        for (int count : new int[] {0, 1, 9, 10, 50, 73, 137}) {
            List<InstanceRows.Row> fresh = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) {
                fresh.add(row(count + "-" + i, 1 + i));
            }
            rows.write(fresh, List.of());
            total += count;
            assertThat(rows.count()).isEqualTo(total);
            for (int i = 0; i < count; i++) {
                assertThat(new String(rows.load("acme/wf/" + count + "-" + i), StandardCharsets.UTF_8))
                        .isEqualTo("{\"r\":" + (1 + i) + "}");
            }
        }
    }

    @Test
    void aNewRowThatExistsInTheSingleRowTailFallsBackToTheCarefulWrite() throws Exception {
        // 63 new rows: one INSERT of 50, one of 10, three single rows, the last of which is stored already
        rows.write(List.of(row("n62", 9)));
        List<InstanceRows.Row> fresh = new java.util.ArrayList<>();
        for (int i = 0; i < 63; i++) {
            fresh.add(row("n" + i, 2));
        }
        rows.write(fresh, List.of());
        assertThat(rows.count()).isEqualTo(63);
        assertThat(rows.revision("acme/wf/n0")).isEqualTo(2);
        assertThat(rows.revision("acme/wf/n61")).isEqualTo(2);
        assertThat(rows.revision("acme/wf/n62")).as("a row never goes back").isEqualTo(9);
    }
}
