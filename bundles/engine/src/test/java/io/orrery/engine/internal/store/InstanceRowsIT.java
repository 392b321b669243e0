package io.orrery.engine.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.store.JdbcStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The instance table's writes on the embedded H2 store: revisions never go back, "new" rows that exist are merged. */
class InstanceRowsIT {

    private JdbcStore store;
    private InstanceRows rows;

    @BeforeEach
    void open() {
        store = JdbcStore.open("jdbc:h2:mem:engine-rows-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        store.migrate("engine", InstanceRows.class.getClassLoader());
        rows = new InstanceRows(store.dataSource());
    }

    @AfterEach
    void close() {
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
