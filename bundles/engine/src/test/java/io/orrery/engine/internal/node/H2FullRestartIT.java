package io.orrery.engine.internal.node;

import io.orrery.store.JdbcStore;
import java.util.UUID;

/** The full restart on the embedded H2 store. */
class H2FullRestartIT extends FullRestartSupport {

    private final String url = "jdbc:h2:mem:engine-restart-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

    @Override
    JdbcStore openStore() {
        return JdbcStore.open(url, "sa", "");
    }
}
