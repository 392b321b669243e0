package io.orrery.engine.internal.extender;

import java.util.List;

/**
 * What the extender needs of a bundle: its identity, its headers and its classes. An OSGi bundle
 * ({@link OsgiTenantBundle}), an uploaded jar not installed yet ({@link UploadedJar}), or a fake in unit tests.
 */
public interface TenantBundle {

    /** The OSGi bundle id; negative for a jar that is not installed. */
    long id();

    String symbolicName();

    String version();

    /**
     * When this content was installed or last updated: an update keeps the bundle id, so id and this together
     * name one revision of a bundle.
     */
    long lastModified();

    /** A manifest header, or null. */
    String header(String name);

    /** The class loader of this revision's classes; throws {@link IllegalStateException} once it is gone. */
    ClassLoader classLoader();

    /**
     * The binary names of the classes in this bundle that belong to a compiled script: the script class itself and
     * its closures ({@code script$_run_closure1$_closure2}).
     */
    List<String> scriptClasses(String scriptClass);

    /** True once the bundle is uninstalled: its workflows go at once, with no grace period. */
    boolean uninstalled();

    /** {@code acme.encode-video 3.0.0 [42]}, for logs and messages. */
    default String describe() {
        return symbolicName() + " " + version() + (id() < 0 ? "" : " [" + id() + "]");
    }
}
