package io.orrery.queue.internal;

import io.orrery.api.store.Store;
import io.orrery.store.JdbcStore;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every crash point, one member lost and the whole cluster killed, on an embedded H2 file store. */
class CrashPointIT extends CrashPointSupport {

    @TempDir
    Path dir;

    @Override
    Supplier<Store> stores() {
        String url = "jdbc:h2:file:" + dir.resolve("store").toAbsolutePath();
        return () -> JdbcStore.open(url, "sa", "");
    }

    @Test
    void oneMemberLostAtEachPointLosesNothing() throws Exception {
        oneMemberLostAtEachPoint();
    }
}
