package io.orrery.engine.internal.verify;

import io.orrery.api.tenant.BundleRejectedException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The headers a tenant bundle may carry: an allow-list. A tenant bundle is data and rules for the server, never a
 * participant in the framework, so every header that would make the framework or an extender run, export, attach
 * or wire anything is refused, and so is every header this list does not know.
 */
final class ManifestRules {

    static final String FUNCTION_COMPONENTS = "Orrery-Function-Components";

    private static final Set<String> DESCRIPTIVE = caseInsensitive("Manifest-Version", "Bundle-ManifestVersion",
            "Bundle-SymbolicName", "Bundle-Version", "Bundle-Name", "Bundle-Description", "Bundle-Vendor",
            "Bundle-License", "Bundle-DocURL", "Bundle-Copyright", "Bundle-ContactAddress", "Bundle-Developers",
            "Bundle-SCM", "Created-By", "Built-By", "Build-Jdk", "Build-Jdk-Spec", "Tool", "Import-Package",
            "Require-Capability", "Bundle-ClassPath", "Implementation-Title", "Implementation-Version",
            "Implementation-Vendor", "Specification-Title", "Specification-Version", "Specification-Vendor",
            "Automatic-Module-Name");
    private static final List<String> DESCRIPTIVE_PREFIXES = List.of("Bnd-", "Orrery-");
    private static final Map<String, String> WHY = Map.ofEntries(
            Map.entry("Bundle-Activator", "its activator would run in the server"),
            Map.entry("Bundle-ActivationPolicy", "tenant bundles are never started in the server"),
            Map.entry("Service-Component", "Declarative Services would run its components in the server; declare "
                    + "function components in " + FUNCTION_COMPONENTS + " for the function host"),
            Map.entry("Export-Package", "a tenant bundle may not provide packages to other bundles"),
            Map.entry("DynamicImport-Package", "a tenant bundle imports only the packages it names, from the "
                    + "allowed ones"),
            Map.entry("Fragment-Host", "a tenant bundle may not attach to another bundle"),
            Map.entry("Require-Bundle", "a tenant bundle imports packages, not bundles"),
            Map.entry("Bundle-NativeCode", "native code would load into the server"),
            Map.entry("Bundle-Blueprint", "Blueprint would run its beans in the server"),
            Map.entry("Web-ContextPath", "a web application would be served outside the gateway"),
            Map.entry("Provide-Capability", "a tenant bundle may not offer capabilities to other bundles"),
            Map.entry("Multi-Release", "the framework would load other class files than the ones verified"));
    private static final List<Pattern> IMPORTABLE = List.of(Pattern.compile("groovy(\\..+)?"),
            Pattern.compile("org\\.codehaus\\.groovy\\..+"), Pattern.compile("org\\.apache\\.groovy\\..+"),
            Pattern.compile("io\\.orrery\\.emirax(\\.(?!internal\\b)[^.]+)*"),
            Pattern.compile("io\\.orrery\\.api\\.function"));
    private static final Pattern COMPONENT_XML = Pattern.compile("OSGI-INF/[A-Za-z0-9._$-]+\\.xml");

    private ManifestRules() {
    }

    /**
     * Throws {@link BundleRejectedException} naming the first header that is not allowed.
     *
     * @return the component descriptions {@code Orrery-Function-Components} names, which the entry rules allow
     */
    static Set<String> check(Map<String, String> headers) {
        for (var h : headers.entrySet()) {
            String name = h.getKey();
            String why = WHY.get(WHY.keySet().stream().filter(name::equalsIgnoreCase).findFirst().orElse(""));
            if (why != null) {
                throw refused(name, why);
            }
            if (!DESCRIPTIVE.contains(name) && DESCRIPTIVE_PREFIXES.stream().noneMatch(p -> startsWith(name, p))) {
                throw refused(name, "it is not one of the headers a tenant bundle may carry");
            }
        }
        require(headers, "Bundle-ManifestVersion", "2");
        requireImports(headers.get("Import-Package"));
        requireEeOnly(headers.get("Require-Capability"));
        String classPath = headers.get("Bundle-ClassPath");
        if (classPath != null && !HeaderClauses.allNames(classPath).stream().allMatch("."::equals)) {
            throw refused("Bundle-ClassPath", "a tenant bundle's classes are its own entries ('.'), not '"
                    + classPath.trim() + "'");
        }
        return components(headers.get(FUNCTION_COMPONENTS));
    }

    private static void require(Map<String, String> headers, String name, String value) {
        String actual = headers.get(name);
        if (actual == null || !actual.trim().equals(value)) {
            throw new BundleRejectedException(name, name + " must be " + value + ", not "
                    + (actual == null ? "missing" : "'" + actual.trim() + "'"));
        }
    }

    private static void requireImports(String header) {
        for (String pkg : HeaderClauses.allNames(header)) {
            if (IMPORTABLE.stream().noneMatch(p -> p.matcher(pkg).matches())) {
                throw new BundleRejectedException("Import-Package", "Import-Package names " + pkg + ": a tenant "
                        + "bundle may import only groovy.*, org.codehaus.groovy.*, org.apache.groovy.*, "
                        + "io.orrery.emirax.* and io.orrery.api.function");
            }
        }
    }

    private static void requireEeOnly(String header) {
        for (String namespace : HeaderClauses.allNames(header)) {
            if (!"osgi.ee".equals(namespace)) {
                throw new BundleRejectedException("Require-Capability", "Require-Capability names " + namespace
                        + ": a tenant bundle may require only the execution environment (osgi.ee)");
            }
        }
    }

    private static Set<String> components(String header) {
        Set<String> paths = new TreeSet<>();
        for (String path : HeaderClauses.allNames(header)) {
            if (!COMPONENT_XML.matcher(path).matches()) {
                throw new BundleRejectedException(FUNCTION_COMPONENTS, FUNCTION_COMPONENTS + " names '" + path
                        + "': a component description is an OSGI-INF/<name>.xml entry");
            }
            paths.add(path);
        }
        return paths;
    }

    private static BundleRejectedException refused(String header, String why) {
        return new BundleRejectedException(header, "the header " + header + " is not allowed in a tenant bundle: "
                + why);
    }

    private static boolean startsWith(String s, String prefix) {
        return s.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    private static Set<String> caseInsensitive(String... names) {
        Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(List.of(names));
        return set;
    }
}
