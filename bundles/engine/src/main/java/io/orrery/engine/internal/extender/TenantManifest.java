package io.orrery.engine.internal.extender;

import io.orrery.api.tenant.BundleRejectedException;
import io.orrery.api.tenant.Tenant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The headers that make a bundle an Orrery tenant bundle, as the Emirax Maven plugin writes them:
 * {@code Orrery-Tenant: acme}, {@code Orrery-Emirax-Scripts: emirax.acme.internal.encode_video},
 * {@code Orrery-Workflows: encode-video;version=3}.
 *
 * @param workflows what the scripts must yield, name to version; null when the header is absent (not checked)
 */
public record TenantManifest(String tenant, List<String> scripts, Map<String, Integer> workflows) {

    public static final String TENANT = "Orrery-Tenant";
    public static final String SCRIPTS = "Orrery-Emirax-Scripts";
    public static final String WORKFLOWS = "Orrery-Workflows";

    public TenantManifest {
        scripts = List.copyOf(scripts);
        workflows = workflows == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(workflows));
    }

    /** Empty for a bundle that is not a tenant bundle; throws {@link BundleRejectedException} for a malformed one. */
    public static Optional<TenantManifest> of(TenantBundle bundle) {
        String tenant = bundle.header(TENANT);
        if (tenant == null) {
            return Optional.empty();
        }
        tenant = tenant.trim();
        if (!Tenant.NAME.matcher(tenant).matches()) {
            throw new BundleRejectedException(TENANT, TENANT + ": '" + tenant + "' is not a valid tenant name");
        }
        List<String> scripts = new ArrayList<>();
        for (HeaderClause c : HeaderClause.parse(bundle.header(SCRIPTS))) {
            if (!c.name().matches("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}.$]*")) {
                throw new BundleRejectedException(SCRIPTS, SCRIPTS + ": '" + c.name() + "' is not a class name");
            }
            scripts.add(c.name());
        }
        return Optional.of(new TenantManifest(tenant, scripts, workflows(bundle.header(WORKFLOWS))));
    }

    private static Map<String, Integer> workflows(String header) {
        if (header == null) {
            return null;
        }
        Map<String, Integer> workflows = new LinkedHashMap<>();
        for (HeaderClause c : HeaderClause.parse(header)) {
            String v = c.attributes().get("version");
            try {
                workflows.put(c.name(), v == null ? 1 : Integer.parseInt(v));
            } catch (NumberFormatException e) {
                throw new BundleRejectedException(WORKFLOWS, WORKFLOWS + ": workflow " + c.name()
                        + " has version '" + v + "', not a number");
            }
        }
        return workflows;
    }
}
