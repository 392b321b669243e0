package io.orrery.queue.internal;

import io.orrery.api.store.Store;
import io.orrery.store.JdbcStore;
import io.orrery.store.testing.PostgresServer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Every crash point with the whole cluster killed and restarted from a real PostgreSQL. */
class PostgresCrashPointIT extends CrashPointSupport {

    private static PostgresServer postgres;
    private static String url;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start();
        url = postgres.createDatabase("crashpoints");
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @Override
    Supplier<Store> stores() {
        return () -> JdbcStore.open(url, postgres.user(), postgres.password());
    }
}
