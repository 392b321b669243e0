package io.orrery.engine.internal.node;

import io.orrery.store.JdbcStore;
import java.util.UUID;

/** Whole-cluster crashes at every named point, on the embedded H2 store. */
class H2WholeClusterCrashIT extends WholeClusterCrashSupport {

    private final String url = "jdbc:h2:mem:engine-kill-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

    @Override
    JdbcStore openStore(String point) {
        return JdbcStore.open(url, "sa", "");
    }
}
