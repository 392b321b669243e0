package io.orrery.engine.internal.node;

import io.orrery.store.JdbcStore;
import io.orrery.store.testing.PostgresServer;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Whole-cluster crashes at every named point, on a real, throwaway PostgreSQL server (a database per point). */
class PostgresWholeClusterCrashIT extends WholeClusterCrashSupport {

    private static PostgresServer server;

    @BeforeAll
    static void startServer() {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    JdbcStore openStore(String point) {
        String db = "crash_" + point.replaceAll("[^a-z]", "_").toLowerCase(Locale.ROOT);
        return JdbcStore.open(server.createDatabase(db), server.user(), server.password());
    }
}
