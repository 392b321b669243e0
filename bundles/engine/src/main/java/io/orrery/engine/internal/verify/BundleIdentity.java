package io.orrery.engine.internal.verify;

import io.orrery.api.tenant.BundleRejectedException;
import java.util.List;
import java.util.regex.Pattern;
import org.osgi.framework.Version;

/**
 * A tenant bundle's name and version, held to what the rest of the server assumes of them. The symbolic name must be
 * OSGi's {@code token('.'token)*}: Felix does not check it, and files the server writes for a bundle (its jar in the
 * tenant's function host) are named after it, so a name holding {@code ../} would point them, and the host's
 * read-only binds, outside the tenant's directory. Both must fit the catalog's columns, or the bundle would install
 * on the node that took it and then fail to be recorded for the others.
 */
final class BundleIdentity {

    static final String SYMBOLIC_NAME = "Bundle-SymbolicName";
    static final String VERSION = "Bundle-Version";
    /** The catalog's {@code symbolic_name} and {@code version} columns. */
    static final int MAX_NAME = 255;
    static final int MAX_VERSION = 100;
    private static final Pattern OSGI_NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

    private BundleIdentity() {
    }

    /** The bundle's symbolic name: the first name of its header's clause. */
    static String symbolicName(String header) {
        List<String> names = header == null ? List.of() : HeaderClauses.allNames(header);
        if (names.isEmpty()) {
            throw new BundleRejectedException(SYMBOLIC_NAME, "not an OSGi bundle: the manifest has no "
                    + SYMBOLIC_NAME);
        }
        String name = names.get(0);
        if (name.length() > MAX_NAME) {
            throw new BundleRejectedException(SYMBOLIC_NAME, SYMBOLIC_NAME + " is " + name.length()
                    + " characters long; at most " + MAX_NAME + " are kept");
        }
        if (!OSGI_NAME.matcher(name).matches()) {
            throw new BundleRejectedException(SYMBOLIC_NAME, SYMBOLIC_NAME + " '" + printable(name) + "' is not an "
                    + "OSGi symbolic name: dot-separated tokens of letters, digits, '_' and '-'");
        }
        return name;
    }

    /** The bundle's version as written, {@code 0.0.0} when absent. */
    static String version(String header) {
        String version = header == null ? "0.0.0" : header.trim();
        if (version.length() > MAX_VERSION) {
            throw new BundleRejectedException(VERSION, VERSION + " is " + version.length() + " characters long; at "
                    + "most " + MAX_VERSION + " are kept");
        }
        try {
            Version.parseVersion(version);
        } catch (IllegalArgumentException e) {
            throw new BundleRejectedException(VERSION, VERSION + " '" + printable(version) + "' is not an OSGi "
                    + "version (major.minor.micro.qualifier): " + e.getMessage());
        }
        return version;
    }

    private static String printable(String text) {
        return text.replaceAll("\\p{Cntrl}", "?");
    }
}
