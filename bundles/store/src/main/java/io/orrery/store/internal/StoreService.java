package io.orrery.store.internal;

import io.orrery.api.health.ComponentHealth;
import io.orrery.api.health.HealthIndicator;
import io.orrery.api.store.Store;
import io.orrery.store.JdbcStore;
import java.util.Hashtable;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's store, configured by {@code etc/io.orrery.store.cfg}. It registers the {@link Store} only once the
 * database answered and the store's schema migrated, retrying with a growing delay (at most a minute) until it
 * does; its health indicator is there either way, so a store that could not open is reported DOWN with the
 * reason rather than missing. A changed configuration restarts the component, which closes the old pool and
 * opens a new one.
 */
@Component(service = HealthIndicator.class, immediate = true, configurationPid = StoreService.PID)
@Designate(ocd = StoreService.Config.class)
public final class StoreService implements HealthIndicator {

    public static final String PID = "io.orrery.store";

    @ObjectClassDefinition(name = "Orrery store", description = "The JDBC database shared by Orrery's subsystems.")
    public @interface Config {

        @AttributeDefinition(description = "JDBC URL: jdbc:postgresql://host:5432/orrery in production. Empty means"
                + " the embedded H2 file ${karaf.data}/orrery/store.")
        String url() default "";

        @AttributeDefinition(description = "Database user.")
        String user() default "sa";

        @AttributeDefinition(description = "Database password.", type = AttributeType.PASSWORD)
        String password() default "";

        @AttributeDefinition(description = "Most connections the pool opens.")
        int maxPoolSize() default JdbcStore.DEFAULT_MAX_POOL_SIZE;
    }

    private static final Logger LOG = LoggerFactory.getLogger(StoreService.class);

    private static final long MAX_RETRY_SECONDS = 60;

    private BundleContext context;
    private Config config;
    private String url;
    private ScheduledExecutorService reopener;
    private volatile JdbcStore store;
    private volatile StoreHealth health;
    private volatile ServiceRegistration<Store> registration;
    private volatile String failure = "not started";

    @Activate
    void activate(BundleContext context, Config config) {
        this.context = context;
        this.config = config;
        this.url = config.url().isBlank() ? JdbcStore.embeddedUrl() : config.url().trim();
        this.reopener = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "orrery-store-open");
            thread.setDaemon(true);
            return thread;
        });
        open(1);
    }

    /** Opens the store, or tries again later: a database that starts after Karaf is then picked up. */
    private void open(int attempt) {
        JdbcStore opened;
        try {
            opened = JdbcStore.open(url, config.user(), config.password(), config.maxPoolSize());
        } catch (RuntimeException e) {
            failure = "cannot open " + SafeJdbcUrl.of(url) + ": " + e.getMessage();
            long delay = Math.min(MAX_RETRY_SECONDS, 5L << Math.min(attempt - 1, 4));
            if (attempt == 1) {
                LOG.error("The store did not open at {}; trying again", SafeJdbcUrl.of(url), e);
            } else {
                LOG.warn("The store still does not open at {}: {}", SafeJdbcUrl.of(url), e.getMessage());
            }
            retryLater(attempt + 1, delay);
            return;
        }
        health = new StoreHealth(opened);
        store = opened;
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("store.product", opened.productName());
        registration = context.registerService(Store.class, opened, properties);
    }

    private void retryLater(int attempt, long delaySeconds) {
        try {
            reopener.schedule(() -> open(attempt), delaySeconds, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            // Deactivated meanwhile.
        }
    }

    @Deactivate
    void deactivate() {
        stopReopener();
        failure = "stopped";
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
        if (health != null) {
            health.close();
            health = null;
        }
        if (store != null) {
            store.close();
            store = null;
        }
    }

    /** Once the reopener has stopped, nothing but this component's own thread touches its fields. */
    private void stopReopener() {
        reopener.shutdownNow();
        try {
            if (!reopener.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("An attempt to open the store is still running");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String component() {
        return StoreHealth.COMPONENT;
    }

    @Override
    public ComponentHealth check() {
        StoreHealth current = health;
        return current == null ? ComponentHealth.down(StoreHealth.COMPONENT, failure) : current.check();
    }
}
