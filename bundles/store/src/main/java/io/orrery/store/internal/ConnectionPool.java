package io.orrery.store.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Map;
import java.util.Optional;

/** Builds the HikariCP pool behind the store. */
public final class ConnectionPool {

    /*
     * Naming the driver makes HikariCP load it with this bundle's class loader and instantiate it directly when
     * DriverManager does not offer it, which in OSGi it does not (DriverManager only sees the system class path).
     */
    private static final Map<String, String> DRIVERS = Map.of(
            "jdbc:h2:", "org.h2.Driver",
            "jdbc:postgresql:", "org.postgresql.Driver");

    private static final long CONNECTION_TIMEOUT_MS = 10_000;

    private ConnectionPool() {
    }

    public static HikariDataSource create(String jdbcUrl, String user, String password, int maxPoolSize) {
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException("maxPoolSize must be at least 1, was " + maxPoolSize);
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("orrery-store");
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(maxPoolSize);
        config.setMinimumIdle(Math.min(2, maxPoolSize));
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        driverFor(jdbcUrl).ifPresent(config::setDriverClassName);
        return new HikariDataSource(config);
    }

    static Optional<String> driverFor(String jdbcUrl) {
        return DRIVERS.entrySet().stream()
                .filter(e -> jdbcUrl.startsWith(e.getKey()))
                .map(Map.Entry::getValue)
                .findFirst();
    }
}
