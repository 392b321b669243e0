package io.orrery.store;

import com.zaxxer.hikari.HikariDataSource;
import io.orrery.api.store.Store;
import io.orrery.store.internal.ConnectionPool;
import io.orrery.store.internal.SafeJdbcUrl;
import io.orrery.store.internal.SubsystemMigration;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store over one pooled JDBC data source: embedded H2 or PostgreSQL, chosen by the URL. Opening it brings the
 * store's own schema ({@code db/store/}) up to date, so a store that opened is one whose migrations work.
 *
 * <p>Plain Java: the OSGi component wraps one, and tests open one directly, e.g. on
 * {@code jdbc:h2:mem:test;DB_CLOSE_DELAY=-1}.
 */
public final class JdbcStore implements Store, AutoCloseable {

    public static final int DEFAULT_MAX_POOL_SIZE = 10;

    private static final Logger LOG = LoggerFactory.getLogger(JdbcStore.class);

    private final HikariDataSource pool;
    private final String url;
    private final String productName;
    private final String productVersion;

    private JdbcStore(HikariDataSource pool, String url, DatabaseMetaData metaData) throws SQLException {
        this.pool = pool;
        this.url = url;
        this.productName = metaData.getDatabaseProductName();
        this.productVersion = metaData.getDatabaseProductVersion();
    }

    public static JdbcStore open(String jdbcUrl, String user, String password) {
        return open(jdbcUrl, user, password, DEFAULT_MAX_POOL_SIZE);
    }

    public static JdbcStore open(String jdbcUrl, String user, String password, int maxPoolSize) {
        String safeUrl = SafeJdbcUrl.of(jdbcUrl);
        HikariDataSource pool = ConnectionPool.create(jdbcUrl, user, password, maxPoolSize);
        try {
            JdbcStore store = withMetaData(pool, safeUrl);
            store.migrate("store", JdbcStore.class.getClassLoader());
            LOG.info("Store open: {} {} at {}, pool of {}", store.productName, store.productVersion, safeUrl,
                    maxPoolSize);
            return store;
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** The embedded H2 file under Karaf's data directory ({@code ./data} outside Karaf). */
    public static String embeddedUrl() {
        Path data = Path.of(System.getProperty("karaf.data", "./data"));
        return "jdbc:h2:file:" + data.resolve("orrery").resolve("store").toAbsolutePath().normalize();
    }

    private static JdbcStore withMetaData(HikariDataSource pool, String safeUrl) {
        try (Connection connection = pool.getConnection()) {
            return new JdbcStore(pool, safeUrl, connection.getMetaData());
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the database metadata of " + safeUrl + ": " + e, e);
        }
    }

    @Override
    public DataSource dataSource() {
        return pool;
    }

    @Override
    public String productName() {
        return productName;
    }

    public String productVersion() {
        return productVersion;
    }

    /** The JDBC URL with any password masked, safe to log and to show. */
    public String url() {
        return url;
    }

    @Override
    public void migrate(String subsystem, ClassLoader migrations) {
        SubsystemMigration.run(pool, subsystem, migrations);
    }

    public boolean isClosed() {
        return pool.isClosed();
    }

    @Override
    public void close() {
        pool.close();
    }
}
