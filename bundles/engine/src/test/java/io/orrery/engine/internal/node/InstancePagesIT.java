package io.orrery.engine.internal.node;

import io.orrery.store.JdbcStore;
import java.util.UUID;

/** Instance pages on the embedded H2 store. */
class InstancePagesIT extends InstancePagesSupport {

    @Override
    JdbcStore openStore() {
        return JdbcStore.open("jdbc:h2:mem:engine-pages-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    }
}
