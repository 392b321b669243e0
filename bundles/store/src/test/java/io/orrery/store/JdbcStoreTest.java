package io.orrery.store;

import static io.orrery.store.StoreTables.appliedVersions;
import static io.orrery.store.StoreTables.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcStoreTest {

    private final ClassLoader testClassPath = getClass().getClassLoader();
    private JdbcStore store;

    @BeforeEach
    void open() {
        store = JdbcStore.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void opensH2AndMigratesTheStoresOwnSchema() throws Exception {
        assertThat(store.productName()).isEqualTo("H2");
        assertThat(store.productVersion()).startsWith("2.");
        assertThat(appliedVersions(store.dataSource(), "flyway_store_history")).containsExactly("1");
        assertThat(query(store.dataSource(), "SELECT info_value FROM store_info WHERE info_key = 'schema'"))
                .containsExactly("orrery");
    }

    @Test
    void migratesASubsystemFromItsOwnClassLoaderIntoItsOwnHistory() throws Exception {
        store.migrate("sample", testClassPath);

        assertThat(appliedVersions(store.dataSource(), "flyway_sample_history")).containsExactly("1", "2");
        StoreTables.execute(store.dataSource(), "INSERT INTO sample_item (id, name) VALUES (1, 'one')");
        assertThat(query(store.dataSource(), "SELECT state FROM sample_item")).containsExactly("new");
        assertThat(appliedVersions(store.dataSource(), "flyway_store_history")).containsExactly("1");
    }

    @Test
    void migratingAgainChangesNothing() throws Exception {
        store.migrate("sample", testClassPath);
        StoreTables.execute(store.dataSource(), "INSERT INTO sample_item (id, name) VALUES (1, 'kept')");

        store.migrate("sample", testClassPath);
        store.migrate("store", JdbcStore.class.getClassLoader());

        assertThat(appliedVersions(store.dataSource(), "flyway_sample_history")).containsExactly("1", "2");
        assertThat(appliedVersions(store.dataSource(), "flyway_store_history")).containsExactly("1");
        assertThat(query(store.dataSource(), "SELECT name FROM sample_item")).containsExactly("kept");
    }

    @Test
    void aSubsystemWithoutMigrationsIsNoError() throws Exception {
        store.migrate("empty", testClassPath);

        assertThat(appliedVersions(store.dataSource(), "flyway_empty_history")).isEmpty();
    }

    @Test
    void refusesSubsystemNamesThatAreNotPlainNames() {
        assertThatThrownBy(() -> store.migrate("../store", testClassPath))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.migrate("", testClassPath)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFailingMigrationReportsTheSubsystemWithAJdkException() {
        assertThatThrownBy(() -> store.migrate("broken", testClassPath))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Migration of broken failed");
    }

    @Test
    void anH2FileKeepsItsSchemaAcrossReopening(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("store");
        try (JdbcStore first = JdbcStore.open(url, "sa", "", 2)) {
            first.migrate("sample", testClassPath);
            StoreTables.execute(first.dataSource(), "INSERT INTO sample_item (id, name) VALUES (7, 'durable')");
        }
        try (JdbcStore second = JdbcStore.open(url, "sa", "", 2)) {
            second.migrate("sample", testClassPath);
            assertThat(query(second.dataSource(), "SELECT name FROM sample_item")).containsExactly("durable");
            assertThat(appliedVersions(second.dataSource(), "flyway_sample_history")).containsExactly("1", "2");
        }
    }

    @Test
    void theEmbeddedDefaultLivesUnderKarafsDataDirectory() {
        String previous = System.getProperty("karaf.data");
        System.setProperty("karaf.data", "/opt/orrery/data");
        try {
            assertThat(JdbcStore.embeddedUrl()).isEqualTo("jdbc:h2:file:/opt/orrery/data/orrery/store");
        } finally {
            if (previous == null) {
                System.clearProperty("karaf.data");
            } else {
                System.setProperty("karaf.data", previous);
            }
        }
        assertThat(JdbcStore.embeddedUrl()).startsWith("jdbc:h2:file:/").endsWith("/data/orrery/store");
    }

    @Test
    void aStoreThatCannotConnectFailsToOpenWithTheUrlButNotThePassword() {
        assertThatThrownBy(() -> JdbcStore.open("jdbc:h2:mem:x;IFEXISTS=TRUE;PASSWORD=secret", "sa", "secret"))
                .hasMessageNotContaining("secret");
    }
}
