package io.orrery.store.internal;

import static io.orrery.store.internal.SubsystemMigration.historyTable;
import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.store.JdbcStore;
import java.net.URL;
import java.net.URLClassLoader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SubsystemMigrationTest {

    @Test
    void historyTablesAreNamedPerSubsystem() {
        assertThat(historyTable("queue")).isEqualTo("flyway_queue_history");
        assertThat(historyTable("Viewing-History")).isEqualTo("flyway_viewing_history_history");
    }

    /** The OSGi path without OSGi: files handed over as URLs, on a class loader where Flyway cannot find them. */
    @Test
    void migratesFromListedFilesThatTheClassLoaderCannotSee() throws Exception {
        ClassLoader blind = new URLClassLoader(new URL[0], null);
        assertThat(blind.getResource("db/sample/V1__sample_item.sql")).isNull();
        MigrationResources files = new MigrationResources("db/sample", List.of(
                resource("db/sample/V2__sample_item_state.sql"), resource("db/sample/V1__sample_item.sql")));

        try (JdbcStore store = JdbcStore.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "")) {
            SubsystemMigration.run(store.dataSource(), "sample", blind, Optional.of(files));
            SubsystemMigration.run(store.dataSource(), "sample", blind, Optional.of(files));

            assertThat(scripts(store)).containsExactly("V1__sample_item.sql", "V2__sample_item_state.sql");
        }
    }

    @Test
    void listedFilesAreFoundByPrefixAndSuffixAndByName() throws Exception {
        MigrationResources files = new MigrationResources("db/sample", List.of(resource("db/sample/V1__sample_item.sql")));

        assertThat(files.getResources("V", new String[] {".sql"})).hasSize(1);
        assertThat(files.getResources("R", new String[] {".sql"})).isEmpty();
        assertThat(files.getResource("V1__sample_item.sql").getAbsolutePath()).isEqualTo("db/sample/V1__sample_item.sql");
        assertThat(files.getResource("V1__sample_item.sql.conf")).isNull();
    }

    private static URL resource(String name) {
        return SubsystemMigrationTest.class.getClassLoader().getResource(name);
    }

    private static List<String> scripts(JdbcStore store) throws Exception {
        try (Connection connection = store.dataSource().getConnection();
             ResultSet rows = connection.createStatement().executeQuery(
                     "SELECT \"script\" FROM \"flyway_sample_history\" WHERE \"type\" = 'SQL' ORDER BY \"installed_rank\"")) {
            List<String> scripts = new ArrayList<>();
            while (rows.next()) {
                scripts.add(rows.getString(1));
            }
            return scripts;
        }
    }
}
