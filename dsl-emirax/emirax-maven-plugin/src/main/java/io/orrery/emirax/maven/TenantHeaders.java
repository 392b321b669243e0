package io.orrery.emirax.maven;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The manifest headers that make a jar an Orrery tenant bundle. The engine's tenant bundle extender reads them:
 * {@code Orrery-Tenant} says which tenant the bundle may deploy into, {@code Orrery-Emirax-Scripts} which compiled
 * classes build its workflows, and {@code Orrery-Workflows} what they must yield (checked at deploy time).
 *
 * @param tenant    the tenant's name
 * @param workflows workflow name to version, in declaration order
 * @param scripts   the compiled script classes, one per source
 * @param functions the Emirax {@code function} blocks' names
 */
record TenantHeaders(String tenant, Map<String, Integer> workflows, List<String> scripts, List<String> functions) {

    static final String TENANT = "Orrery-Tenant";
    static final String WORKFLOWS = "Orrery-Workflows";
    static final String SCRIPTS = "Orrery-Emirax-Scripts";
    static final String FUNCTIONS = "Orrery-Emirax-Functions";

    /**
     * bnd instructions that move the bundle's DS components from {@code Service-Component} to
     * {@code Orrery-Function-Components}: the server never runs a tenant's components (it refuses a tenant bundle
     * with {@code Service-Component}); the tenant's function host maps the header back for its own SCR. The
     * capabilities and requirements bnd derives from the components ({@code osgi.service}, and
     * {@code osgi.extender} from the DS annotations) go too: the server refuses a tenant bundle that offers
     * capabilities or requires more than an execution environment, and the host's SCR needs neither.
     */
    static final Map<String, String> FUNCTION_COMPONENTS = Map.of(
            "Orrery-Function-Components", "${Service-Component}",
            "-removeheaders", "Service-Component,Provide-Capability,Require-Capability");

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._-]+");

    TenantHeaders {
        workflows = new LinkedHashMap<>(workflows);
        scripts = List.copyOf(scripts);
        functions = List.copyOf(functions);
    }

    /** Header name to value; headers with nothing to say are left out. */
    Map<String, String> asMap() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(TENANT, tenant);
        if (!workflows.isEmpty()) {
            headers.put(WORKFLOWS, workflows.entrySet().stream()
                    .map(e -> quote(e.getKey()) + ";version=" + e.getValue()).collect(Collectors.joining(",")));
        }
        if (!scripts.isEmpty()) {
            headers.put(SCRIPTS, String.join(",", scripts));
        }
        if (!functions.isEmpty()) {
            headers.put(FUNCTIONS, functions.stream().map(TenantHeaders::quote).collect(Collectors.joining(",")));
        }
        return headers;
    }

    /** The same headers as a bnd file, for builds that {@code -include} it instead of using maven-bundle-plugin. */
    String asBnd() {
        var text = new StringBuilder("# Written by orrery-emirax-maven-plugin; do not edit.\n");
        asMap().forEach((k, v) -> text.append(k).append(": ").append(v.replace("\\", "\\\\")).append('\n'));
        FUNCTION_COMPONENTS.forEach((k, v) -> text.append(k).append(": ").append(v).append('\n'));
        return text.toString();
    }

    // OSGi header syntax: a name with a comma, semicolon or quote in it must be quoted.
    private static String quote(String name) {
        return PLAIN.matcher(name).matches() ? name : '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
