package io.orrery.api.tenant;

import java.util.Objects;
import java.util.Set;

/**
 * Who a bearer token authenticates: one tenant, or the administrator who sees every tenant; and what the token
 * may do ({@link TokenScope}).
 *
 * @param tenant the tenant's name; null for the administrator
 * @param scopes what the token may do
 */
public record Principal(String tenant, Set<TokenScope> scopes) {

    private static final Principal ADMIN = new Principal(null);

    public Principal {
        scopes = Set.copyOf(Objects.requireNonNull(scopes, "scopes"));
    }

    /** A principal holding every scope. */
    public Principal(String tenant) {
        this(tenant, TokenScope.all());
    }

    public static Principal admin() {
        return ADMIN;
    }

    public static Principal tenant(String name) {
        return new Principal(Objects.requireNonNull(name, "name"));
    }

    /** The same principal, limited to {@code granted}. */
    public Principal withScopes(Set<TokenScope> granted) {
        return new Principal(tenant, granted);
    }

    public boolean isAdmin() {
        return tenant == null;
    }

    /** Whether this principal may see and change the named tenant's resources. */
    public boolean mayAccess(String tenantName) {
        return isAdmin() || tenant.equals(tenantName);
    }

    public boolean has(TokenScope scope) {
        return scopes.contains(scope);
    }

    /** {@code admin} or the tenant's name, for logs. */
    public String name() {
        return isAdmin() ? "admin" : tenant;
    }
}
