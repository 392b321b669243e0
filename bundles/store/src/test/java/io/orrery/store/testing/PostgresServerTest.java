package io.orrery.store.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
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

    @Test
    void aPortTakenBeforeTheServerBindsItIsReplacedByAFreshOne() throws Exception {
        List<Integer> handedOut = new ArrayList<>();
        try (ServerSocket squatter = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
             PostgresServer server = PostgresServer.start(() -> {
                 handedOut.add(handedOut.isEmpty() ? squatter.getLocalPort() : freePort());
                 return handedOut.get(handedOut.size() - 1);
             })) {
            assertThat(handedOut).hasSize(2);
            assertThat(server.port()).isEqualTo(handedOut.get(1)).isNotEqualTo(squatter.getLocalPort());
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), server.user(), "");
                 ResultSet one = connection.createStatement().executeQuery("SELECT 1")) {
                assertThat(one.next()).isTrue();
                assertThat(one.getInt(1)).isEqualTo(1);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
