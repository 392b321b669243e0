package io.orrery.queue.internal;

import io.orrery.store.JdbcStore;
import io.orrery.store.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** Full-cluster restart from a real PostgreSQL. */
class PostgresClusterRestartIT extends ClusterRestartSupport {

    private static PostgresServer postgres;
    private static int databases;
    private String url;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @BeforeEach
    void freshDatabase() {
        url = postgres.createDatabase("queue" + (++databases));
    }

    @Override
    JdbcStore openStore() {
        return JdbcStore.open(url, postgres.user(), postgres.password());
    }
}
