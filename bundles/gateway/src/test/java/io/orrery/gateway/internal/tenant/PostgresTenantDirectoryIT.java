package io.orrery.gateway.internal.tenant;

import io.orrery.store.JdbcStore;
import io.orrery.store.testing.PostgresServer;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The same contract on a real, throwaway PostgreSQL: the migration and the SQL are portable. */
class PostgresTenantDirectoryIT extends TenantDirectoryContract {

    private static PostgresServer postgres;
    private static int databases;
    private JdbcStore store;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @BeforeEach
    void open() {
        String url = postgres.createDatabase("tenants_" + (++databases));
        store = JdbcStore.open(url, postgres.user(), postgres.password());
        store.migrate("gateway", getClass().getClassLoader());
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Override
    DataSource dataSource() {
        return store.dataSource();
    }
}
