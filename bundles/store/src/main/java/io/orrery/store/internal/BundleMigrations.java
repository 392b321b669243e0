package io.orrery.store.internal;

import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.api.ResourceProvider;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleReference;

/**
 * Migrations read from the entries of the bundle that owns a class loader. The only class here that touches the
 * OSGi API, so the store runs outside OSGi without it on the class path.
 */
final class BundleMigrations {

    private BundleMigrations() {
    }

    /** The SQL files under {@code directory} in the class loader's bundle, or empty outside OSGi. */
    static Optional<ResourceProvider> find(ClassLoader loader, String directory) {
        if (!(loader instanceof BundleReference reference) || reference.getBundle() == null) {
            return Optional.empty();
        }
        Bundle bundle = reference.getBundle();
        Enumeration<URL> entries = bundle.findEntries(directory, "*.sql", false);
        List<URL> files = entries == null ? List.of() : Collections.list(entries);
        return Optional.of(new MigrationResources(directory, files));
    }
}
