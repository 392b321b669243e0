package io.orrery.api.store;

import javax.sql.DataSource;

/**
 * Orrery's durable store: one pooled JDBC data source (embedded H2 by default, PostgreSQL in production) and
 * schema migrations per subsystem.
 *
 * <p>Each subsystem keeps its own migrations in its own bundle, under {@code db/<subsystem>/} as Flyway SQL files
 * ({@code V1__queue_messages.sql}, ...), and calls {@link #migrate} at activation with a class loader that sees
 * them. Each subsystem has its own schema history table, so subsystems migrate independently.
 */
public interface Store {

    DataSource dataSource();

    /** The JDBC product name, e.g. {@code H2} or {@code PostgreSQL}. */
    String productName();

    /**
     * Brings the schema of one subsystem up to date from the Flyway migrations under {@code db/<subsystem>/}
     * visible to the given class loader (a bundle's or, outside OSGi, the class path's).
     */
    void migrate(String subsystem, ClassLoader migrations);
}
