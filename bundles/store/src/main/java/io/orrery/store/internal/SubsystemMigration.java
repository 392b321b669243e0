package io.orrery.store.internal;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.ClassProvider;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one subsystem's Flyway SQL migrations ({@code db/<subsystem>/*.sql}) with its own history table
 * ({@code flyway_<subsystem>_history}), so subsystems migrate independently of one another.
 */
public final class SubsystemMigration {

    private static final Logger LOG = LoggerFactory.getLogger(SubsystemMigration.class);
    private static final Pattern SUBSYSTEM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");
    private static final ClassProvider<JavaMigration> NO_JAVA_MIGRATIONS = List::of;

    /*
     * Flyway finds its database types through ServiceLoader on its own class loader: in OSGi that is this
     * bundle's, whose class path holds flyway-core and flyway-database-postgresql with their META-INF/services.
     */
    private static final ClassLoader FLYWAY_LOADER = SubsystemMigration.class.getClassLoader();
    private static final boolean OSGI = isPresent("org.osgi.framework.BundleReference");

    private SubsystemMigration() {
    }

    public static void run(DataSource dataSource, String subsystem, ClassLoader migrations) {
        String directory = directoryOf(subsystem);
        Optional<ResourceProvider> bundleResources =
                OSGI ? BundleMigrations.find(migrations, directory) : Optional.empty();
        run(dataSource, subsystem, migrations, bundleResources);
    }

    /**
     * Migrates from the given resources when present (a bundle's entries: Flyway's class path scanning would only
     * look at its own bundle), otherwise from {@code classpath:db/<subsystem>} on the given class loader.
     */
    static void run(DataSource dataSource, String subsystem, ClassLoader migrations,
                    Optional<ResourceProvider> resources) {
        String directory = directoryOf(subsystem);
        FluentConfiguration config = Flyway.configure(resources.isPresent() ? FLYWAY_LOADER : migrations)
                .dataSource(dataSource)
                .table(historyTable(subsystem))
                // Subsystems share one schema: another's tables are no reason to refuse. Baseline below V1 so
                // that every migration of this subsystem still runs.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .locations("classpath:" + directory)
                .loggers("slf4j");
        resources.ifPresent(r -> config.resourceProvider(r).javaMigrationClassProvider(NO_JAVA_MIGRATIONS));
        MigrateResult result = migrate(config, subsystem);
        LOG.info("Schema of {}: {} migration(s) applied, now at version {}", subsystem,
                result.migrationsExecuted, result.targetSchemaVersion == null ? "-" : result.targetSchemaVersion);
    }

    public static String historyTable(String subsystem) {
        directoryOf(subsystem);
        return "flyway_" + subsystem.toLowerCase(Locale.ROOT).replace('-', '_') + "_history";
    }

    private static String directoryOf(String subsystem) {
        if (subsystem == null || !SUBSYSTEM.matcher(subsystem).matches()) {
            throw new IllegalArgumentException("A subsystem name is letters, digits, '-' and '_', was: " + subsystem);
        }
        return "db/" + subsystem;
    }

    private static MigrateResult migrate(FluentConfiguration config, String subsystem) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(FLYWAY_LOADER);
        try {
            return config.load().migrate();
        } catch (FlywayException e) {
            // Flyway's exception types are private to this bundle: callers get a JDK type with the message.
            throw new IllegalStateException("Migration of " + subsystem + " failed: " + e.getMessage(), e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static boolean isPresent(String className) {
        try {
            Class.forName(className, false, FLYWAY_LOADER);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
