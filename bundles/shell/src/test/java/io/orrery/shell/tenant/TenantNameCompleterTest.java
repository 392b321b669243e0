package io.orrery.shell.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.tenant.TenantQuota;
import io.orrery.gateway.internal.tenant.StoredTenantDirectory;
import io.orrery.shell.workflow.TypedLine;
import io.orrery.store.JdbcStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TenantNameCompleterTest {

    @Test
    void completesTheTenantsNames() {
        try (JdbcStore store = JdbcStore.open("jdbc:h2:mem:complete-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "")) {
            store.migrate("gateway", getClass().getClassLoader());
            TenantNameCompleter completer = new TenantNameCompleter();
            completer.directory = StoredTenantDirectory.open(store.dataSource(), new TenantQuota(1, 1, 1, 1), Map.of());
            completer.directory.create("acme");
            completer.directory.create("acorn");
            completer.directory.create("beta");

            List<String> candidates = new ArrayList<>();
            completer.complete(null, TypedLine.of("orrery:tenant-delete", "ac"), candidates);

            assertThat(candidates).extracting(String::trim).containsExactlyInAnyOrder("acme", "acorn");
        }
    }
}
