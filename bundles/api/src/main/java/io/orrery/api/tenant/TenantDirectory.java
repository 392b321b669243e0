package io.orrery.api.tenant;

import java.util.List;
import java.util.Optional;

/**
 * The tenants of the cluster and their API tokens. Tokens are random, shown once when issued and stored only as
 * hashes; {@link #authenticate} is how every REST request is checked.
 */
public interface TenantDirectory {

    /**
     * Creates a tenant with its first token. Throws {@link IllegalArgumentException} for a name that breaks
     * {@link Tenant#NAME} and {@link TenantExistsException}.
     */
    IssuedToken create(String name);

    List<Tenant> list();

    Optional<Tenant> find(String name);

    /** Deletes the tenant and every token of it; false when there was no such tenant. */
    boolean delete(String name);

    /**
     * Issues another token for the tenant; with {@code revokeOthers} the tenant's earlier tokens stop working.
     * Throws {@link UnknownTenantException}.
     */
    IssuedToken issueToken(String name, boolean revokeOthers);

    /** Issues another administrator token (the configured or first-start one keeps working). */
    IssuedToken issueAdminToken();

    /** The principal of a token (the value after {@code Bearer }), or empty for an unknown or malformed one. */
    Optional<Principal> authenticate(String bearerToken);

    /** The tenant's quota: its own configured limits, or the defaults. */
    TenantQuota quota(String name);
}
