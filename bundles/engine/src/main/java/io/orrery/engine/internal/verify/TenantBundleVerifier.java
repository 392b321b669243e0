package io.orrery.engine.internal.verify;

import io.orrery.api.tenant.BundleRejectedException;
import io.orrery.api.tenant.Tenant;
import io.orrery.emirax.sandbox.RuleClassVerifier;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one verification every tenant bundle passes before any of its classes is loaded, whichever way it came (a
 * REST upload, {@code deploy/}, {@code bundle:install}): its headers against an allow-list, its tenant against the
 * caller's, its entries against an allow-list, its size inflated entry by entry against the limits, and the class
 * files of its scripts through a {@link ClassFileCheck}. Throws {@link BundleRejectedException} with the first
 * thing wrong.
 */
public final class TenantBundleVerifier {

    public static final String TENANT = "Orrery-Tenant";
    public static final String SCRIPTS = "Orrery-Emirax-Scripts";
    /** A script class file larger than this is not a compiled rule script. */
    private static final int MAX_CLASS_BYTES = 4 << 20;
    private static final int MAX_REPORTED = 5;
    private static final ClassFileCheck STATIC_INITIALIZERS = new StaticInitializers();

    private final BundleLimits limits;
    private final ClassFileCheck classCheck;

    public TenantBundleVerifier(BundleLimits limits, ClassFileCheck classCheck) {
        this.limits = limits;
        this.classCheck = classCheck;
    }

    public BundleLimits limits() {
        return limits;
    }

    /**
     * @param expectedTenant the caller's tenant, which the bundle's {@code Orrery-Tenant} must name; null when the
     *                       bundle's own header decides (an administrator installed it)
     */
    public VerifiedBundle verify(BundleContent content, String expectedTenant) {
        List<BundleContent.Entry> entries = entries(content);
        // Before any header is read: with two manifests, which one counts depends on the reader.
        EntryRules.requireDistinct(entries);
        Map<String, String> headers = content.headers();
        String tenant = tenant(headers, expectedTenant);
        String symbolicName = BundleIdentity.symbolicName(headers.get(BundleIdentity.SYMBOLIC_NAME));
        String version = BundleIdentity.version(headers.get(BundleIdentity.VERSION));
        Set<String> components = ManifestRules.check(headers);
        List<String> scripts = scripts(headers.get(SCRIPTS));
        EntryRules.check(entries, components);
        Map<String, byte[]> classes = inflate(content, entries, scripts);
        for (String script : scripts) {
            if (!classes.containsKey(script)) {
                throw new BundleRejectedException(SCRIPTS, SCRIPTS + " names " + script + ", which the bundle "
                        + "does not contain");
            }
        }
        checkClasses(classes, bundleClasses(entries));
        return new VerifiedBundle(tenant, symbolicName, version, headers, classes);
    }

    private List<BundleContent.Entry> entries(BundleContent content) {
        List<BundleContent.Entry> entries;
        try {
            entries = content.entries(limits.maxEntries());
        } catch (IOException e) {
            throw new BundleRejectedException("bundle", "cannot list the entries of " + content.describe(), e);
        }
        if (entries.size() > limits.maxEntries()) {
            throw new BundleRejectedException("bundle", "the bundle holds more than " + limits.maxEntries()
                    + " entries (the limit on a bundle's entry count)");
        }
        return entries;
    }

    private static String tenant(Map<String, String> headers, String expected) {
        String tenant = headers.get(TENANT);
        if (tenant == null) {
            throw new BundleRejectedException(TENANT, "not a tenant bundle: the manifest has no " + TENANT
                    + " header");
        }
        tenant = tenant.trim();
        if (!Tenant.NAME.matcher(tenant).matches()) {
            throw new BundleRejectedException(TENANT, TENANT + ": '" + tenant + "' is not a valid tenant name");
        }
        if (expected != null && !expected.equals(tenant)) {
            throw new BundleRejectedException(TENANT, TENANT + " is '" + tenant + "': a bundle deploys only into "
                    + "the tenant its manifest names, and this one was sent for '" + expected + "'");
        }
        return tenant;
    }

    private static List<String> scripts(String header) {
        List<String> scripts = new ArrayList<>();
        for (String name : HeaderClauses.allNames(header)) {
            if (!name.matches("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}.]*")) {
                throw new BundleRejectedException(SCRIPTS, SCRIPTS + ": '" + name + "' is not a class name");
            }
            scripts.add(name);
        }
        return scripts;
    }

    // Inflates every entry, counting what comes out, and keeps the scripts' class files.
    private Map<String, byte[]> inflate(BundleContent content, List<BundleContent.Entry> entries,
                                        List<String> scripts) {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        long total = 0;
        byte[] buffer = new byte[16 * 1024];
        for (BundleContent.Entry e : entries) {
            if (e.name().endsWith("/")) {
                continue;
            }
            String scriptClass = scriptClassOf(e.name(), scripts);
            ByteArrayOutputStream kept = scriptClass == null ? null : new ByteArrayOutputStream();
            long inflated = 0;
            try (InputStream in = content.open(e)) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    inflated += n;
                    total += n;
                    requireWithinLimits(e, inflated, total);
                    if (kept != null) {
                        if (inflated > MAX_CLASS_BYTES) {
                            throw new BundleRejectedException(SCRIPTS, "the class file " + e.name() + " is larger "
                                    + "than " + MAX_CLASS_BYTES + " bytes");
                        }
                        kept.write(buffer, 0, n);
                    }
                }
            } catch (IOException ex) {
                throw new BundleRejectedException("bundle", "cannot read the entry " + e.name() + " of "
                        + content.describe() + ": " + ex.getMessage(), ex);
            }
            if (kept != null) {
                classes.put(scriptClass, kept.toByteArray());
            }
        }
        return classes;
    }

    private void requireWithinLimits(BundleContent.Entry e, long inflated, long total) {
        if (total > limits.maxUncompressedBytes()) {
            throw new BundleRejectedException("bundle", "the bundle inflates to more than "
                    + limits.maxUncompressedBytes() + " bytes (the limit on a bundle's uncompressed size)");
        }
        long compressed = e.compressedSize();
        if (compressed >= 0 && inflated > BundleLimits.RATIO_FLOOR
                && inflated > (long) limits.maxRatio() * Math.max(1, compressed)) {
            throw new BundleRejectedException("bundle", "the entry " + e.name() + " inflates to more than "
                    + limits.maxRatio() + " times its compressed size of " + compressed + " bytes (the limit on an "
                    + "entry's compression ratio)");
        }
    }

    /** The binary name of a script class or one of its nested classes, or null for any other entry. */
    static String scriptClassOf(String entry, List<String> scripts) {
        if (!entry.endsWith(".class")) {
            return null;
        }
        String path = entry.substring(0, entry.length() - ".class".length());
        for (String script : scripts) {
            String p = script.replace('.', '/');
            if (path.equals(p) || path.startsWith(p + "$")) {
                return path.replace('/', '.');
            }
        }
        return null;
    }

    private static Set<String> bundleClasses(List<BundleContent.Entry> entries) {
        Set<String> names = new HashSet<>();
        for (BundleContent.Entry e : entries) {
            if (e.name().endsWith(".class")) {
                names.add(e.name().substring(0, e.name().length() - ".class".length()));
            }
        }
        return names;
    }

    // Every class the server may load: no static initializer, the class check, and no reference to a class of the
    // bundle that was not verified. Function classes hold function bodies: they run in the function host, the
    // server never loads them, and a rule class that references one is refused as reaching an unverified class.
    private void checkClasses(Map<String, byte[]> classes, Set<String> bundleClasses) {
        List<String> violations = new ArrayList<>();
        Map<String, byte[]> rules = new LinkedHashMap<>();
        classes.forEach((name, bytes) -> {
            if (!RuleClassVerifier.isFunctionClass(name)) {
                rules.put(name, bytes);
                violations.addAll(STATIC_INITIALIZERS.violations(name, bytes));
                violations.addAll(classCheck.violations(name, bytes));
            }
        });
        violations.addAll(UnverifiedClasses.referencedBy(rules, bundleClasses));
        if (!violations.isEmpty()) {
            String shown = String.join("; ", violations.subList(0, Math.min(MAX_REPORTED, violations.size())));
            String more = violations.size() > MAX_REPORTED ? " (and " + (violations.size() - MAX_REPORTED)
                    + " more)" : "";
            throw new BundleRejectedException(SCRIPTS, "the script classes may not be loaded: " + shown + more);
        }
    }
}
