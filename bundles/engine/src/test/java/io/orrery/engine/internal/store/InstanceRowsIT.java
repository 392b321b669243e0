package io.orrery.engine.internal.store;

import io.orrery.store.JdbcStore;
import java.util.UUID;

/** The instance table's writes on the embedded H2 store. */
class InstanceRowsIT extends InstanceRowsSupport {

    @Override
    JdbcStore openStore() {
        return JdbcStore.open("jdbc:h2:mem:engine-rows-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    }
}
