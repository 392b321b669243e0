package io.orrery.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.health.ComponentHealth;
import io.orrery.store.JdbcStore;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StoreHealthTest {

    @Test
    void upWithProductAndUrlWhileOpenDownOnceClosed() {
        JdbcStore store = JdbcStore.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;PASSWORD=hidden",
                "sa", "hidden");
        try (StoreHealth health = new StoreHealth(store)) {
            ComponentHealth up = health.check();
            assertThat(up.component()).isEqualTo("store");
            assertThat(up.isUp()).isTrue();
            assertThat(up.details()).containsEntry("product", "H2").containsKey("version");
            assertThat(up.details().get("url").toString()).startsWith("jdbc:h2:mem:").doesNotContain("hidden");

            store.close();
            ComponentHealth down = health.check();
            assertThat(down.isUp()).isFalse();
            assertThat(down.details()).containsEntry("error", "the store is closed");
        }
    }
}
