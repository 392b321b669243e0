package io.orrery.functions.internal.worker;

import java.util.Map;
import java.util.Optional;

/**
 * Which tenant a Java {@link io.orrery.api.function.OrreryFunction} service serves. A service from a tenant bundle
 * serves the tenant its bundle's manifest names ({@code Orrery-Tenant}), whatever its properties say, so a
 * bundle cannot slip a function into another tenant and a tenant's function never serves everyone; a service
 * property {@value #PROPERTY} naming another tenant is refused. A service from any other bundle (a platform
 * function) serves the tenant in its property, or every tenant without one.
 */
public final class FunctionTenancy {

    public static final String PROPERTY = "orrery.tenant";
    /** The tenant key of a function that serves every tenant. */
    public static final String SHARED = "";

    private FunctionTenancy() {
    }

    /**
     * @param properties    the service's properties
     * @param bundleTenant  the registering bundle's {@code Orrery-Tenant} header, or null
     * @return the tenant the function serves ({@link #SHARED} for all), or empty when it must not be used
     */
    public static Optional<String> tenantOf(Map<String, ?> properties, String bundleTenant) {
        Object declared = properties == null ? null : properties.get(PROPERTY);
        if (bundleTenant != null) {
            String tenant = bundleTenant.trim();
            if (declared != null && !tenant.equals(declared.toString())) {
                return Optional.empty();
            }
            return Optional.of(tenant);
        }
        return Optional.of(declared == null ? SHARED : declared.toString());
    }
}
