package io.orrery.engine.internal.node;

import io.orrery.store.JdbcStore;
import io.orrery.store.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Instance pages on a real, throwaway PostgreSQL server. */
class PostgresInstancePagesIT extends InstancePagesSupport {

    private static PostgresServer server;
    private static String url;

    @BeforeAll
    static void startServer() {
        server = PostgresServer.start();
        url = server.createDatabase("pages");
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    JdbcStore openStore() {
        return JdbcStore.open(url, server.user(), server.password());
    }
}
