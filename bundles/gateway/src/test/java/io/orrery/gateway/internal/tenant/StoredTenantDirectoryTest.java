package io.orrery.gateway.internal.tenant;

import io.orrery.store.JdbcStore;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

class StoredTenantDirectoryTest extends TenantDirectoryContract {

    private JdbcStore store;

    @BeforeEach
    void open() {
        store = JdbcStore.open("jdbc:h2:mem:tenants-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
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
