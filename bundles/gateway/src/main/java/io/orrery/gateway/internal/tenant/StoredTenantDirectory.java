package io.orrery.gateway.internal.tenant;

import io.orrery.api.tenant.IssuedToken;
import io.orrery.api.tenant.Principal;
import io.orrery.api.tenant.Tenant;
import io.orrery.api.tenant.TenantDirectory;
import io.orrery.api.tenant.TenantExistsException;
import io.orrery.api.tenant.TenantQuota;
import io.orrery.api.tenant.TokenInfo;
import io.orrery.api.tenant.TokenScope;
import io.orrery.api.tenant.TokenTerms;
import io.orrery.api.tenant.UnknownTenantException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenant directory over the store. Only token hashes are kept; a token is checked by hashing it, looking the
 * hash up, and comparing the stored hash in constant time. An administrator token can also be configured as a
 * hash ({@code adminTokenHash}), so the plaintext never needs to be on the server at all.
 */
public final class StoredTenantDirectory implements TenantDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(StoredTenantDirectory.class);
    private static final Pattern TOKEN_ID = Pattern.compile("[0-9a-f]{8}");

    private final TenantTable table;
    private final TenantQuotas quotas;
    private final String configuredAdminHash;
    private final Clock clock;
    private final TokenMint mint = new TokenMint();

    /** @param configuredAdminHash hex SHA-256 of the configured administrator token, or null */
    StoredTenantDirectory(DataSource dataSource, TenantQuotas quotas, String configuredAdminHash, Clock clock) {
        this.table = new TenantTable(dataSource);
        this.quotas = quotas;
        this.configuredAdminHash = configuredAdminHash;
        this.clock = clock;
    }

    /**
     * A directory without a configured administrator token, for tests and tools: default quotas, and per-tenant
     * overrides as configuration spells them ({@code quota.<tenant>.<limit>}).
     */
    public static StoredTenantDirectory open(DataSource dataSource, TenantQuota defaults, Map<String, ?> overrides) {
        return new StoredTenantDirectory(dataSource, TenantQuotas.parse(defaults, overrides), null, Clock.systemUTC());
    }

    @Override
    public IssuedToken create(String name) {
        Tenant.requireValidName(name);
        String token = mint.newToken();
        String hash = TokenHash.of(token);
        if (!table.insertTenant(name, hash, TenantTable.Terms.UNRESTRICTED, clock.instant())) {
            throw new TenantExistsException(name);
        }
        LOG.info("Tenant {} created with token {}", name, TokenHash.idOf(hash));
        return new IssuedToken(name, TokenHash.idOf(hash), token);
    }

    @Override
    public List<Tenant> list() {
        return table.tenants();
    }

    @Override
    public Optional<Tenant> find(String name) {
        return name != null && Tenant.NAME.matcher(name).matches() ? table.tenant(name) : Optional.empty();
    }

    @Override
    public boolean delete(String name) {
        boolean deleted = find(name).isPresent() && table.deleteTenant(name);
        if (deleted) {
            LOG.info("Tenant {} deleted with its tokens", name);
        }
        return deleted;
    }

    /** Revokes every token of the tenant (the first step of deleting it); false when there is no such tenant. */
    boolean revokeAll(String name) {
        if (find(name).isEmpty()) {
            return false;
        }
        int revoked = table.deleteTokensOf(name);
        LOG.info("Tenant {}: its {} tokens revoked", name, revoked);
        return true;
    }

    @Override
    public IssuedToken issueToken(String name, boolean revokeOthers) {
        return issueToken(name, TokenTerms.unrestricted(), revokeOthers);
    }

    @Override
    public IssuedToken issueToken(String name, TokenTerms terms, boolean revokeOthers) {
        if (find(name).isEmpty()) {
            throw new UnknownTenantException(name);
        }
        String token = mint.newToken();
        String hash = TokenHash.of(token);
        TenantTable.Terms stored = stored(terms);
        if (!table.addToken(name, hash, stored, revokeOthers, clock.instant())) {
            throw new UnknownTenantException(name);
        }
        LOG.info("Token {} issued for tenant {} (scopes {}, {}){}", TokenHash.idOf(hash), name,
                TokenScope.format(terms.scopes()), expiry(stored), revokeOthers ? ", earlier tokens revoked" : "");
        return new IssuedToken(name, TokenHash.idOf(hash), token);
    }

    @Override
    public IssuedToken issueAdminToken() {
        return issueAdminToken(TokenTerms.unrestricted());
    }

    @Override
    public IssuedToken issueAdminToken(TokenTerms terms) {
        String token = mint.newToken();
        String hash = TokenHash.of(token);
        TenantTable.Terms stored = stored(terms);
        table.addToken(null, hash, stored, false, clock.instant());
        LOG.info("Administrator token {} issued (scopes {}, {})", TokenHash.idOf(hash),
                TokenScope.format(terms.scopes()), expiry(stored));
        return new IssuedToken(null, TokenHash.idOf(hash), token);
    }

    @Override
    public List<TokenInfo> tokens(String name) {
        if (name != null && find(name).isEmpty()) {
            throw new UnknownTenantException(name);
        }
        return table.tokens(name);
    }

    /**
     * Revokes a stored token by its id. The administrator token configured as {@code adminTokenHash} is not stored
     * and is revoked by removing it from the configuration.
     */
    @Override
    public boolean revokeToken(String tokenId) {
        if (tokenId == null || !TOKEN_ID.matcher(tokenId).matches()) {
            throw new IllegalArgumentException("token id: expected 8 hex digits as listed, got '"
                    + (tokenId == null ? "" : tokenId.replaceAll("\\P{Graph}", "?")) + "'");
        }
        if (table.countById(tokenId) > 1) {
            throw new IllegalArgumentException("token id: " + tokenId + " names several tokens; revoke the tenant's "
                    + "tokens with --revoke-others or delete and recreate the tenant");
        }
        boolean revoked = table.deleteById(tokenId) > 0;
        if (revoked) {
            LOG.info("Token {} revoked", tokenId);
        }
        return revoked;
    }

    private TenantTable.Terms stored(TokenTerms terms) {
        Long expiresAt = terms.ttl() == null ? null : clock.instant().plus(terms.ttl()).toEpochMilli();
        boolean all = terms.scopes().containsAll(TokenScope.all());
        return new TenantTable.Terms(all ? null : TokenScope.format(terms.scopes()), expiresAt);
    }

    private static String expiry(TenantTable.Terms stored) {
        return stored.expiresAt() == null ? "no expiry" : "expires " + Instant.ofEpochMilli(stored.expiresAt());
    }

    /**
     * At first start, when no administrator token is configured or stored, issues one; empty otherwise. The
     * caller hands the token to the operator once (see {@link AdminTokenFile}).
     */
    public Optional<IssuedToken> firstStartAdminToken() {
        if (configuredAdminHash != null || table.hasAdminToken()) {
            return Optional.empty();
        }
        return Optional.of(issueAdminToken());
    }

    @Override
    public Optional<Principal> authenticate(String bearerToken) {
        if (!TokenMint.looksLikeToken(bearerToken)) {
            return Optional.empty();
        }
        String hash = TokenHash.of(bearerToken);
        if (configuredAdminHash != null && TokenHash.matches(configuredAdminHash, hash)) {
            return Optional.of(Principal.admin());
        }
        long now = clock.millis();
        return table.token(hash)
                .filter(row -> TokenHash.matches(row.hash(), hash))
                .filter(row -> row.expiresAt() == null || now < row.expiresAt())
                .map(row -> new Principal(row.tenant(),
                        row.scopes() == null ? TokenScope.all() : TokenScope.parse(row.scopes())));
    }

    @Override
    public TenantQuota quota(String name) {
        return quotas.of(name);
    }
}
