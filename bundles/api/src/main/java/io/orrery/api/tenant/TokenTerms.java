package io.orrery.api.tenant;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The terms a token is issued on: its scopes and how long it lives.
 *
 * @param scopes what it may do; at least one
 * @param ttl    how long it works from issue; null for a token that does not expire
 */
public record TokenTerms(Set<TokenScope> scopes, Duration ttl) {

    public TokenTerms {
        scopes = Set.copyOf(Objects.requireNonNull(scopes, "scopes"));
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("scope: a token needs at least one scope");
        }
        if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
            throw new IllegalArgumentException("expires: must be a positive duration, got " + ttl);
        }
    }

    /** Every scope, no expiry: the terms of a token issued without any. */
    public static TokenTerms unrestricted() {
        return new TokenTerms(TokenScope.all(), null);
    }
}
