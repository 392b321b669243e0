package io.orrery.store;

import static io.orrery.store.StoreTables.appliedVersions;
import static io.orrery.store.StoreTables.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.health.ComponentHealth;
import io.orrery.store.internal.StoreHealth;
import io.orrery.store.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The store against a real PostgreSQL server started for this test. */
class PostgresStoreIT {

    private static PostgresServer postgres;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void opensMigratesAndReportsHealthOnPostgres() throws Exception {
        String url = postgres.createDatabase("store_it");
        try (JdbcStore store = JdbcStore.open(url, postgres.user(), postgres.password(), 4);
             StoreHealth health = new StoreHealth(store)) {
            assertThat(store.productName()).isEqualTo("PostgreSQL");
            assertThat(appliedVersions(store.dataSource(), "flyway_store_history")).containsExactly("1");

            store.migrate("sample", getClass().getClassLoader());
            store.migrate("sample", getClass().getClassLoader());
            StoreTables.execute(store.dataSource(), "INSERT INTO sample_item (id, name) VALUES (1, 'one')");

            assertThat(appliedVersions(store.dataSource(), "flyway_sample_history")).containsExactly("1", "2");
            assertThat(query(store.dataSource(), "SELECT state FROM sample_item")).containsExactly("new");
            ComponentHealth up = health.check();
            assertThat(up.isUp()).isTrue();
            assertThat(up.details()).containsEntry("product", "PostgreSQL").containsEntry("url", url);
            assertThat(up.details().get("version").toString()).matches("\\d+\\.\\d+.*");
        }
    }

    /** A server of its own, since stopping the shared one would break the other tests. */
    @Test
    void healthTurnsDownWithinTwoSecondsWhenTheServerStops() {
        try (PostgresServer own = PostgresServer.start();
             JdbcStore store = JdbcStore.open(own.jdbcUrl(), own.user(), own.password(), 2);
             StoreHealth health = new StoreHealth(store)) {
            assertThat(health.check().isUp()).isTrue();

            own.close();

            long started = System.nanoTime();
            ComponentHealth down = health.check();
            assertThat(down.isUp()).isFalse();
            assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(3_000);
        }
    }
}
