package io.orrery.engine.internal.store;

import io.orrery.store.JdbcStore;
import io.orrery.store.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The instance table's writes on a real, throwaway PostgreSQL server. */
class PostgresInstanceRowsIT extends InstanceRowsSupport {

    private static PostgresServer server;
    private static int databases;

    @BeforeAll
    static void startServer() {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    JdbcStore openStore() {
        // a database of its own for each test, as the embedded store's tests have
        return JdbcStore.open(server.createDatabase("rows" + ++databases), server.user(), server.password());
    }
}
