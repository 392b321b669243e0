package io.orrery.gateway.internal.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orrery.api.tenant.IssuedToken;
import io.orrery.api.tenant.Principal;
import io.orrery.api.tenant.TenantExistsException;
import io.orrery.api.tenant.TenantQuota;
import io.orrery.api.tenant.TokenInfo;
import io.orrery.api.tenant.TokenScope;
import io.orrery.api.tenant.TokenTerms;
import io.orrery.api.tenant.UnknownTenantException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** What every store must give the tenant directory; run on H2 ({@link StoredTenantDirectoryTest}) and PostgreSQL. */
abstract class TenantDirectoryContract {

    static final TenantQuota DEFAULTS = new TenantQuota(1000, 10, 5, 10);

    /** A freshly migrated store, empty. */
    abstract DataSource dataSource();

    StoredTenantDirectory directory() {
        return new StoredTenantDirectory(dataSource(), TenantQuotas.parse(DEFAULTS, Map.of()), null, Clock.systemUTC());
    }

    @Test
    void createsATenantWithAFreshTokenThatAuthenticatesAsIt() {
        StoredTenantDirectory directory = directory();
        IssuedToken token = directory.create("acme");

        assertThat(token.token()).startsWith("orr_").hasSize(4 + 43).matches("orr_[A-Za-z0-9_-]+");
        assertThat(token.tenant()).isEqualTo("acme");
        assertThat(token.toString()).doesNotContain(token.token());
        assertThat(directory.authenticate(token.token())).contains(Principal.tenant("acme"));
        assertThat(directory.list()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("acme");
            assertThat(t.tokens()).isEqualTo(1);
        });
    }

    @Test
    void refusesDuplicateAndInvalidNames() {
        StoredTenantDirectory directory = directory();
        directory.create("acme");

        assertThatThrownBy(() -> directory.create("acme")).isInstanceOf(TenantExistsException.class);
        for (String bad : new String[] {"", "Acme", "1acme", "a b", "a/b", "x".repeat(64), "acme;drop"}) {
            assertThatThrownBy(() -> directory.create(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("tenant:");
        }
    }

    @Test
    void storesOnlyHashesOfTokens() throws Exception {
        StoredTenantDirectory directory = directory();
        IssuedToken first = directory.create("acme");
        IssuedToken second = directory.issueToken("acme", false);
        IssuedToken admin = directory.issueAdminToken();

        List<String> stored = new ArrayList<>();
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT token_hash, token_id FROM gateway_tokens")) {
            while (rs.next()) {
                stored.add(rs.getString(1) + " " + rs.getString(2));
            }
        }
        assertThat(stored).hasSize(3).allSatisfy(row -> assertThat(row)
                .doesNotContain(first.token().substring(4)).doesNotContain(second.token().substring(4))
                .doesNotContain(admin.token().substring(4)));
        assertThat(stored).anySatisfy(row -> assertThat(row).startsWith(TokenHash.of(first.token())));
    }

    @Test
    void anotherTokenWorksBesideTheFirstOrReplacesAllOfThem() {
        StoredTenantDirectory directory = directory();
        IssuedToken first = directory.create("acme");
        IssuedToken second = directory.issueToken("acme", false);

        assertThat(directory.authenticate(first.token())).isPresent();
        assertThat(directory.authenticate(second.token())).isPresent();

        IssuedToken third = directory.issueToken("acme", true);
        assertThat(directory.authenticate(first.token())).isEmpty();
        assertThat(directory.authenticate(second.token())).isEmpty();
        assertThat(directory.authenticate(third.token())).contains(Principal.tenant("acme"));
        assertThatThrownBy(() -> directory.issueToken("nobody", false)).isInstanceOf(UnknownTenantException.class);
    }

    @Test
    void deletingATenantRevokesItsTokens() {
        StoredTenantDirectory directory = directory();
        IssuedToken token = directory.create("acme");
        directory.create("beta");

        assertThat(directory.delete("acme")).isTrue();
        assertThat(directory.delete("acme")).isFalse();
        assertThat(directory.authenticate(token.token())).isEmpty();
        assertThat(directory.find("acme")).isEmpty();
        assertThat(directory.list()).extracting(t -> t.name()).containsExactly("beta");
        directory.create("acme");
        assertThat(directory.authenticate(token.token())).isEmpty();
    }

    @Test
    void administratorTokensSeeEveryTenant() {
        StoredTenantDirectory directory = directory();
        assertThat(directory.firstStartAdminToken()).isPresent().get()
                .satisfies(admin -> assertThat(directory.authenticate(admin.token())).contains(Principal.admin()));
        assertThat(directory.firstStartAdminToken()).isEmpty();
    }

    @Test
    void aConfiguredAdministratorHashAuthenticatesWithoutAStoredToken() {
        String token = new TokenMint().newToken();
        StoredTenantDirectory directory = new StoredTenantDirectory(dataSource(), TenantQuotas.parse(DEFAULTS, Map.of()),
                TokenHash.parseConfigured("sha256:" + TokenHash.of(token)), Clock.systemUTC());

        assertThat(directory.authenticate(token)).contains(Principal.admin());
        assertThat(directory.firstStartAdminToken()).isEmpty();
        assertThat(directory.authenticate(token + "x")).isEmpty();
    }

    @Test
    void nonsenseNeverAuthenticates() {
        StoredTenantDirectory directory = directory();
        directory.create("acme");
        for (String bad : new String[] {null, "", " ", "orr_", "' OR 1=1 --", "a".repeat(10_000), "orr_\u0000abc"}) {
            assertThat(directory.authenticate(bad)).as(String.valueOf(bad)).isEmpty();
        }
    }

    @Test
    void aTokenCarriesTheScopesItWasIssuedWith() {
        StoredTenantDirectory directory = directory();
        directory.create("acme");
        IssuedToken read = directory.issueToken("acme", new TokenTerms(Set.of(TokenScope.READ), null), false);
        IssuedToken runRead = directory.issueToken("acme", new TokenTerms(Set.of(TokenScope.RUN, TokenScope.READ), null), false);

        assertThat(directory.authenticate(read.token())).get().satisfies(p -> {
            assertThat(p.tenant()).isEqualTo("acme");
            assertThat(p.scopes()).containsExactly(TokenScope.READ);
        });
        assertThat(directory.authenticate(runRead.token()).orElseThrow().scopes())
                .containsExactlyInAnyOrder(TokenScope.RUN, TokenScope.READ);
        IssuedToken admin = directory.issueAdminToken(new TokenTerms(Set.of(TokenScope.READ), null));
        assertThat(directory.authenticate(admin.token()).orElseThrow()).satisfies(p -> {
            assertThat(p.isAdmin()).isTrue();
            assertThat(p.has(TokenScope.DEPLOY)).isFalse();
        });
    }

    @Test
    void anExpiredTokenNoLongerAuthenticates() {
        AtomicLong now = new AtomicLong(1_800_000_000_000L);
        Clock clock = new Clock() {
            @Override public ZoneId getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(ZoneId zone) { return this; }
            @Override public Instant instant() { return Instant.ofEpochMilli(now.get()); }
        };
        StoredTenantDirectory directory = new StoredTenantDirectory(dataSource(), TenantQuotas.parse(DEFAULTS, Map.of()),
                null, clock);
        directory.create("acme");
        IssuedToken day = directory.issueToken("acme", new TokenTerms(TokenScope.all(), Duration.ofDays(1)), false);
        IssuedToken admin = directory.issueAdminToken(new TokenTerms(TokenScope.all(), Duration.ofHours(1)));

        assertThat(directory.authenticate(day.token())).isPresent();
        assertThat(directory.authenticate(admin.token())).isPresent();
        assertThat(directory.tokens("acme")).filteredOn(t -> t.tokenId().equals(day.tokenId())).singleElement()
                .satisfies(t -> assertThat(t.expiresAt()).isEqualTo(Instant.ofEpochMilli(now.get()).plus(Duration.ofDays(1))));
        now.addAndGet(Duration.ofHours(1).toMillis());
        assertThat(directory.authenticate(admin.token())).as("an hour on").isEmpty();
        assertThat(directory.authenticate(day.token())).isPresent();
        now.addAndGet(Duration.ofHours(23).toMillis());
        assertThat(directory.authenticate(day.token())).as("a day on").isEmpty();
    }

    @Test
    void tokensAreRevokedByIdAdministratorTokensIncluded() {
        StoredTenantDirectory directory = directory();
        IssuedToken first = directory.create("acme");
        IssuedToken second = directory.issueToken("acme", false);
        IssuedToken admin = directory.issueAdminToken();
        IssuedToken otherAdmin = directory.issueAdminToken();

        assertThat(directory.revokeToken(first.tokenId())).isTrue();
        assertThat(directory.revokeToken(admin.tokenId())).isTrue();
        assertThat(directory.revokeToken(admin.tokenId())).as("already gone").isFalse();

        assertThat(directory.authenticate(first.token())).isEmpty();
        assertThat(directory.authenticate(admin.token())).isEmpty();
        assertThat(directory.authenticate(second.token())).isPresent();
        assertThat(directory.authenticate(otherAdmin.token())).isPresent();
        for (String bad : new String[] {null, "", "ABCDEF01", "1234567", "' OR 1=1", "123456789"}) {
            assertThatThrownBy(() -> directory.revokeToken(bad)).as(String.valueOf(bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token id");
        }
    }

    @Test
    void listingShowsIdsScopesAndExpiryNeverASecret() {
        StoredTenantDirectory directory = directory();
        IssuedToken first = directory.create("acme");
        IssuedToken read = directory.issueToken("acme", new TokenTerms(Set.of(TokenScope.READ), Duration.ofDays(30)), false);
        IssuedToken admin = directory.issueAdminToken();

        List<TokenInfo> tokens = directory.tokens("acme");
        assertThat(tokens).extracting(TokenInfo::tokenId).containsExactlyInAnyOrder(first.tokenId(), read.tokenId());
        assertThat(tokens).filteredOn(t -> t.tokenId().equals(read.tokenId())).singleElement().satisfies(t -> {
            assertThat(t.scopes()).containsExactly(TokenScope.READ);
            assertThat(t.expiresAt()).isNotNull();
        });
        assertThat(tokens).filteredOn(t -> t.tokenId().equals(first.tokenId())).singleElement()
                .satisfies(t -> assertThat(t.scopes()).isEqualTo(TokenScope.all()));
        assertThat(directory.tokens(null)).extracting(TokenInfo::tokenId).containsExactly(admin.tokenId());
        assertThat(tokens.toString()).doesNotContain(first.token(), read.token(), TokenHash.of(first.token()));
        assertThatThrownBy(() -> directory.tokens("ghost")).isInstanceOf(UnknownTenantException.class);
    }
}
