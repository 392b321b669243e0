package io.orrery.store.internal;

import io.orrery.api.health.ComponentHealth;
import io.orrery.api.health.HealthIndicator;
import io.orrery.store.JdbcStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The store's health: a connection from the pool that the driver reports valid. Borrowing a connection can wait
 * for the pool's connection timeout when the database is gone, so the probe runs on its own thread and the check
 * gives up after two seconds.
 */
public final class StoreHealth implements HealthIndicator, AutoCloseable {

    public static final String COMPONENT = "store";

    private static final long TIMEOUT_SECONDS = 2;

    private final JdbcStore store;
    private final ExecutorService prober = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "orrery-store-health");
        thread.setDaemon(true);
        return thread;
    });

    public StoreHealth(JdbcStore store) {
        this.store = store;
    }

    @Override
    public String component() {
        return COMPONENT;
    }

    @Override
    public ComponentHealth check() {
        if (store.isClosed()) {
            return ComponentHealth.down(COMPONENT, "the store is closed");
        }
        Future<ComponentHealth> probe = prober.submit(this::probe);
        try {
            return probe.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            probe.cancel(true);
            return ComponentHealth.down(COMPONENT, "no answer from " + store.url() + " within " + TIMEOUT_SECONDS + " s");
        } catch (ExecutionException e) {
            return ComponentHealth.down(COMPONENT, String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ComponentHealth.down(COMPONENT, "interrupted");
        } catch (RuntimeException e) {
            return ComponentHealth.down(COMPONENT, e.toString());
        }
    }

    private ComponentHealth probe() throws SQLException {
        try (Connection connection = store.dataSource().getConnection()) {
            if (!connection.isValid((int) TIMEOUT_SECONDS)) {
                return ComponentHealth.down(COMPONENT, "the database connection is not valid");
            }
        }
        return ComponentHealth.up(COMPONENT, Map.of(
                "product", store.productName(),
                "version", store.productVersion(),
                "url", store.url()));
    }

    @Override
    public void close() {
        prober.shutdownNow();
    }
}
