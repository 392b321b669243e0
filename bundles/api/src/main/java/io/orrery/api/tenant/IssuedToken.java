package io.orrery.api.tenant;

import java.util.Objects;

/**
 * A freshly issued API token. The plaintext exists only in this object: the directory keeps a hash, so a lost
 * token cannot be shown again, only replaced.
 *
 * @param tenant  the tenant it authenticates; null for an administrator token
 * @param tokenId a short public identifier of the token (a prefix of its hash), safe to log and list
 * @param token   the secret bearer token
 */
public record IssuedToken(String tenant, String tokenId, String token) {

    public IssuedToken {
        Objects.requireNonNull(tokenId, "tokenId");
        Objects.requireNonNull(token, "token");
    }

    /** Never prints the secret, so a token that reaches a log line by accident stays safe. */
    @Override
    public String toString() {
        return "IssuedToken[tenant=" + (tenant == null ? "admin" : tenant) + ", tokenId=" + tokenId + "]";
    }
}
