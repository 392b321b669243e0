package io.orrery.gateway.internal.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.tenant.Principal;
import io.orrery.gateway.internal.GatewayConfig;
import io.orrery.store.JdbcStore;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TenantDirectoryComponentTest {

    @TempDir
    Path dir;

    @Test
    void atFirstStartTheAdministratorTokenGoesToAnOwnerOnlyFileOnce() throws Exception {
        Path file = dir.resolve("orrery/admin-token");
        try (JdbcStore store = JdbcStore.open("jdbc:h2:mem:component-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "")) {
            TenantDirectoryComponent first = new TenantDirectoryComponent(store, config("", file.toString()),
                    Map.of("quota.acme.burst", "7"));
            String token = Files.readString(file).trim();

            assertThat(first.authenticate(token)).contains(Principal.admin());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(first.quota("acme").burst()).isEqualTo(7);

            Files.delete(file);
            TenantDirectoryComponent restarted = new TenantDirectoryComponent(store, config("", file.toString()), Map.of());
            assertThat(file).doesNotExist();
            assertThat(restarted.authenticate(token)).contains(Principal.admin());
        }
    }

    @Test
    void aConfiguredHashMeansNoGeneratedToken() throws Exception {
        Path file = dir.resolve("admin-token");
        String token = new TokenMint().newToken();
        try (JdbcStore store = JdbcStore.open("jdbc:h2:mem:component-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "")) {
            TenantDirectoryComponent component = new TenantDirectoryComponent(store,
                    config("sha256:" + TokenHash.of(token), file.toString()), Map.of());

            assertThat(file).doesNotExist();
            assertThat(component.authenticate(token)).contains(Principal.admin());
        }
    }

    static GatewayConfig config(String adminTokenHash, String adminTokenFile) {
        return new GatewayConfig() {
            @Override public String adminTokenHash() { return adminTokenHash; }
            @Override public String adminTokenFile() { return adminTokenFile; }
            @Override public long quota_maxBundleBytes() { return 1024; }
            @Override public long quota_maxInstances() { return 10; }
            @Override public double quota_requestsPerSecond() { return 5; }
            @Override public int quota_burst() { return 10; }
            @Override public int auth_failureBurst() { return 10; }
            @Override public double auth_failuresPerMinute() { return 10; }
            @Override public int maxBodyBytes() { return 1024; }
            @Override public int maxWaitSeconds() { return 1; }
            @Override public int idempotencyTtlHours() { return 1; }
            @Override public String requestsTopic() { return "t"; }
            @Override public String requestsDlqTopic() { return "d"; }
            @Override public String requestsGroupId() { return "g"; }
            @Override public Class<? extends Annotation> annotationType() { return GatewayConfig.class; }
        };
    }
}
