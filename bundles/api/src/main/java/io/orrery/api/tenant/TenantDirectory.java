package io.orrery.api.tenant;

import java.util.List;
import java.util.Optional;
import java.util.Set;

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

    /**
     * Deletes the tenant with everything it owns: its tokens, and (where the node provides them) its bundles,
     * instances and queues, so that a tenant created later under the same name inherits nothing. False when there
     * was no such tenant.
     */
    boolean delete(String name);

    /**
     * Issues another token for the tenant; with {@code revokeOthers} the tenant's earlier tokens stop working.
     * Throws {@link UnknownTenantException}.
     */
    IssuedToken issueToken(String name, boolean revokeOthers);

    /** Issues another administrator token (the configured or first-start one keeps working). */
    IssuedToken issueAdminToken();

    /**
     * Issues a token for the tenant on these terms (scopes, time to live); with {@code revokeOthers} the tenant's
     * earlier tokens stop working. Throws {@link UnknownTenantException}.
     */
    default IssuedToken issueToken(String name, TokenTerms terms, boolean revokeOthers) {
        throw new UnsupportedOperationException("this directory issues unrestricted tokens only");
    }

    /** Issues an administrator token on these terms. */
    default IssuedToken issueAdminToken(TokenTerms terms) {
        throw new UnsupportedOperationException("this directory issues unrestricted tokens only");
    }

    /**
     * The stored tokens of a tenant, or the administrator tokens when {@code name} is null: ids, scopes and expiry,
     * never a secret. Throws {@link UnknownTenantException}.
     */
    default List<TokenInfo> tokens(String name) {
        throw new UnsupportedOperationException("this directory does not list tokens");
    }

    /**
     * Revokes the token with this id (a tenant's or an administrator's); false when no stored token has it.
     * Throws {@link IllegalArgumentException} when the id is ambiguous or malformed.
     */
    default boolean revokeToken(String tokenId) {
        throw new UnsupportedOperationException("this directory cannot revoke tokens");
    }

    /** The principal of a token (the value after {@code Bearer }), or empty for an unknown or malformed one. */
    Optional<Principal> authenticate(String bearerToken);

    /** The tenant's quota: its own configured limits, or the defaults (also for a null name: the administrators'). */
    TenantQuota quota(String name);
}
