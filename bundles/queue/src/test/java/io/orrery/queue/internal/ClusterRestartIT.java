package io.orrery.queue.internal;

import io.orrery.store.JdbcStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Full-cluster restart from an embedded H2 file store. */
class ClusterRestartIT extends ClusterRestartSupport {

    @TempDir
    Path dir;

    @Override
    JdbcStore openStore() {
        return JdbcStore.open("jdbc:h2:file:" + dir.resolve("store").toAbsolutePath(), "sa", "");
    }
}
