/**
 * The store's plain-Java entry point, {@link io.orrery.store.JdbcStore}, for tests and tools that need the same
 * pool and migrations as the running node without OSGi.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.orrery.store;
