package io.orrery.api.tenant;

import java.util.Objects;

/**
 * Who a bearer token authenticates: one tenant, or the administrator who sees every tenant.
 *
 * @param tenant the tenant's name; null for the administrator
 */
public record Principal(String tenant) {

    private static final Principal ADMIN = new Principal(null);

    public static Principal admin() {
        return ADMIN;
    }

    public static Principal tenant(String name) {
        return new Principal(Objects.requireNonNull(name, "name"));
    }

    public boolean isAdmin() {
        return tenant == null;
    }

    /** Whether this principal may see and change the named tenant's resources. */
    public boolean mayAccess(String tenantName) {
        return isAdmin() || tenant.equals(tenantName);
    }

    /** {@code admin} or the tenant's name, for logs. */
    public String name() {
        return isAdmin() ? "admin" : tenant;
    }
}
