package io.orrery.engine.internal.verify;

import io.orrery.api.tenant.BundleRejectedException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The entries a tenant bundle may hold: classes and resources of its own, the manifest, Maven's build metadata and
 * the function component descriptions its manifest names. Everything an extender or the framework would act on
 * (Blueprint XML, service loader files, versioned class files, web content) is refused, and so is any name that
 * two readers could take for different entries: duplicates, names differing only in case, relative or absolute
 * paths.
 */
final class EntryRules {

    private static final List<String> CONTROLLED = List.of("META-INF/", "OSGI-INF/", "WEB-INF/");

    private EntryRules() {
    }

    /** Throws {@link BundleRejectedException} for a malformed name, or one that is there twice. */
    static void requireDistinct(List<BundleContent.Entry> entries) {
        Set<String> seen = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (BundleContent.Entry e : entries) {
            String name = e.name();
            requireWellFormed(name);
            if (!seen.add(name)) {
                throw new BundleRejectedException("bundle", "the bundle holds the entry " + name + " more than once"
                        + " (names compared regardless of case): readers could disagree on which one counts");
            }
        }
    }

    /** Throws {@link BundleRejectedException} naming the first entry that is not allowed. */
    static void check(List<BundleContent.Entry> entries, Set<String> componentDescriptions) {
        for (BundleContent.Entry e : entries) {
            String name = e.name();
            if (!allowed(name, componentDescriptions)) {
                throw new BundleRejectedException("bundle", "the entry " + name + " is not allowed in a tenant "
                        + "bundle: under META-INF/ only MANIFEST.MF and maven/, under OSGI-INF/ only the component "
                        + "descriptions " + ManifestRules.FUNCTION_COMPONENTS + " names");
            }
        }
    }

    private static boolean allowed(String name, Set<String> componentDescriptions) {
        if (CONTROLLED.stream().noneMatch(name::startsWith)) {
            return CONTROLLED.stream().noneMatch(c -> c.equalsIgnoreCase(name) || startsWithIgnoreCase(name, c));
        }
        return name.equals("META-INF/") || name.equals(SpooledJar.MANIFEST) || name.startsWith("META-INF/maven/")
                || name.equals("OSGI-INF/") || componentDescriptions.contains(name);
    }

    private static void requireWellFormed(String name) {
        boolean bad = name.isEmpty() || name.length() > 1024 || name.startsWith("/") || name.contains("\\")
                || name.contains("//") || name.indexOf('\0') >= 0 || name.equals("..") || name.startsWith("../")
                || name.contains("/../") || name.endsWith("/..") || name.equals(".") || name.startsWith("./")
                || name.contains("/./");
        if (bad) {
            throw new BundleRejectedException("bundle", "the entry name '" + name.replace("\0", "\\0")
                    + "' is not a plain relative path");
        }
    }

    private static boolean startsWithIgnoreCase(String s, String prefix) {
        return s.regionMatches(true, 0, prefix, 0, prefix.length());
    }
}
