package io.orrery.store.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresServerTest {

    @Test
    void findsTheNewestInstalledServer() {
        assertThat(PostgresServer.findBinaries().resolve("initdb")).isExecutable();
    }

    @Test
    void aMissingServerFailsWithTheInstallCommand(@TempDir Path empty) {
        assertThatThrownBy(() -> PostgresServer.requireServer(empty))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("apt-get install -y postgresql");
        assertThat(Files.exists(empty)).isTrue();
    }
}
