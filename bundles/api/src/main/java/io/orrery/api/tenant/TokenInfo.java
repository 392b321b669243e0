package io.orrery.api.tenant;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * What may be shown of a stored token: never the secret (the directory does not have it), only its public id.
 *
 * @param tokenId   the short public id ({@link IssuedToken#tokenId()}), by which it is revoked
 * @param tenant    its tenant; null for an administrator token
 * @param scopes    what it may do
 * @param createdAt when it was issued
 * @param expiresAt when it stops working; null when it does not expire
 */
public record TokenInfo(String tokenId, String tenant, Set<TokenScope> scopes, Instant createdAt, Instant expiresAt) {

    public TokenInfo {
        Objects.requireNonNull(tokenId, "tokenId");
        scopes = Set.copyOf(scopes);
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public boolean isAdmin() {
        return tenant == null;
    }

    /** Whether it has expired at {@code now}. */
    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
