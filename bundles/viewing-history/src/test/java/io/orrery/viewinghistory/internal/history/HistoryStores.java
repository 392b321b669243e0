package io.orrery.viewinghistory.internal.history;

import io.orrery.store.JdbcStore;
import io.orrery.store.testing.PostgresServer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The subsystem's schema on H2 and on a real PostgreSQL, for tests that check the store does the same on both: one
 * PostgreSQL server for the test class, a new database per store, every store closed after the class. Registered
 * as a static {@code @RegisterExtension} field.
 */
final class HistoryStores implements BeforeAllCallback, AfterAllCallback {

    private final List<JdbcStore> opened = new ArrayList<>();
    private PostgresServer postgres;

    @Override
    public void beforeAll(ExtensionContext context) {
        postgres = PostgresServer.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        opened.forEach(JdbcStore::close);
        opened.clear();
        if (postgres != null) {
            postgres.close();
        }
    }

    /** A new H2 database in memory, migrated; {@code name} shows in its URL. */
    DataSource h2(String name) {
        return open("jdbc:h2:mem:" + name + "-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    }

    /** A new database on the class's PostgreSQL, migrated; its name starts with {@code name}. */
    DataSource postgres(String name) {
        return open(postgres.createDatabase(name + "_" + opened.size()), postgres.user(), postgres.password());
    }

    private DataSource open(String url, String user, String password) {
        JdbcStore store = JdbcStore.open(url, user, password);
        opened.add(store);
        store.migrate("viewinghistory", HistoryStores.class.getClassLoader());
        return store.dataSource();
    }
}
