package io.orrery.gateway.internal.tenant;

import io.orrery.api.tenant.IssuedToken;
import io.orrery.api.tenant.Principal;
import io.orrery.api.tenant.Tenant;
import io.orrery.api.tenant.TenantDirectory;
import io.orrery.api.tenant.TenantExistsException;
import io.orrery.api.tenant.TenantQuota;
import io.orrery.api.tenant.UnknownTenantException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        if (!table.insertTenant(name, hash, clock.instant())) {
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

    @Override
    public IssuedToken issueToken(String name, boolean revokeOthers) {
        if (find(name).isEmpty()) {
            throw new UnknownTenantException(name);
        }
        String token = mint.newToken();
        String hash = TokenHash.of(token);
        if (!table.addToken(name, hash, revokeOthers, clock.instant())) {
            throw new UnknownTenantException(name);
        }
        LOG.info("Token {} issued for tenant {}{}", TokenHash.idOf(hash), name,
                revokeOthers ? ", earlier tokens revoked" : "");
        return new IssuedToken(name, TokenHash.idOf(hash), token);
    }

    @Override
    public IssuedToken issueAdminToken() {
        String token = mint.newToken();
        String hash = TokenHash.of(token);
        table.addToken(null, hash, false, clock.instant());
        LOG.info("Administrator token {} issued", TokenHash.idOf(hash));
        return new IssuedToken(null, TokenHash.idOf(hash), token);
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
        return table.token(hash)
                .filter(row -> TokenHash.matches(row.hash(), hash))
                .map(row -> row.tenant() == null ? Principal.admin() : Principal.tenant(row.tenant()));
    }

    @Override
    public TenantQuota quota(String name) {
        return quotas.of(name);
    }
}
