package io.orrery.shell.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orrery.api.tenant.Principal;
import io.orrery.api.tenant.TenantDirectory;
import io.orrery.api.tenant.TenantExistsException;
import io.orrery.api.tenant.TenantQuota;
import io.orrery.api.tenant.TokenScope;
import io.orrery.api.tenant.UnknownTenantException;
import io.orrery.gateway.internal.tenant.StoredTenantDirectory;
import io.orrery.store.JdbcStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tenant commands on the real tenant directory over an H2 store, without OSGi. */
class TenantCommandsTest {

    private JdbcStore store;
    private TenantDirectory directory;

    @BeforeEach
    void open() {
        store = JdbcStore.open("jdbc:h2:mem:shell-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        store.migrate("gateway", getClass().getClassLoader());
        directory = StoredTenantDirectory.open(store.dataSource(), new TenantQuota(20L * 1024 * 1024, 1000, 50, 100),
                Map.of("quota.big.requestsPerSecond", "500"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void tenantCreatePrintsTheTokenAsTheLastLine() throws Exception {
        TenantCreateCommand create = new TenantCreateCommand();
        create.name = "acme";

        List<String> lines = run(create);

        String token = lines.get(lines.size() - 1);
        assertThat(token).matches("orr_[A-Za-z0-9_-]{43}");
        assertThat(directory.authenticate(token)).contains(Principal.tenant("acme"));
        assertThat(lines.get(0)).startsWith("Tenant acme created");
    }

    @Test
    void tenantCreateRefusesATakenOrInvalidName() throws Exception {
        directory.create("acme");
        TenantCreateCommand create = new TenantCreateCommand();
        create.name = "acme";
        assertThatThrownBy(() -> run(create)).isInstanceOf(TenantExistsException.class);
        create.name = "Not Valid";
        assertThatThrownBy(() -> run(create)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tenant:");
    }

    @Test
    void tenantListShowsTokensAndQuotas() throws Exception {
        directory.create("acme");
        directory.create("big");
        directory.issueToken("big", false);

        List<String> lines = run(new TenantListCommand());

        assertThat(lines.get(0)).contains("Tenant").contains("Tokens").contains("Requests/s");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("acme").contains("20 MiB").contains(" 50 "));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("big").contains(" 2 ").contains("500"));
    }

    @Test
    void tenantTokenIssuesAnotherTokenOrReplacesThemAll() throws Exception {
        String first = directory.create("acme").token();
        TenantTokenCommand token = new TenantTokenCommand();
        token.name = "acme";

        List<String> another = run(token);
        token.revokeOthers = true;
        List<String> replacing = run(token);

        String second = another.get(another.size() - 1);
        String third = replacing.get(replacing.size() - 1);
        assertThat(directory.authenticate(second)).isEmpty();
        assertThat(directory.authenticate(first)).isEmpty();
        assertThat(directory.authenticate(third)).contains(Principal.tenant("acme"));
        assertThat(replacing.get(0)).contains("revoked");
    }

    @Test
    void tenantTokenIssuesAnAdministratorTokenWithAdmin() throws Exception {
        TenantTokenCommand token = new TenantTokenCommand();
        token.admin = true;

        List<String> lines = run(token);

        assertThat(directory.authenticate(lines.get(lines.size() - 1))).contains(Principal.admin());
        token.name = "acme";
        assertThatThrownBy(() -> run(token)).hasMessageContaining("--admin");
    }

    @Test
    void tenantTokenIssuesScopedExpiringTokensListsAndRevokesThem() throws Exception {
        directory.create("acme");
        TenantTokenCommand issue = new TenantTokenCommand();
        issue.name = "acme";
        issue.scope = "run, READ";
        issue.expires = "30d";
        List<String> issued = run(issue);
        String token = issued.get(issued.size() - 1);
        assertThat(issued.get(0)).contains("scopes run,read").contains("expires in 30d");
        assertThat(directory.authenticate(token).orElseThrow().scopes())
                .containsExactlyInAnyOrder(TokenScope.RUN, TokenScope.READ);

        TenantTokenCommand list = new TenantTokenCommand();
        list.name = "acme";
        list.list = true;
        List<String> listed = run(list);
        String id = directory.tokens("acme").stream().filter(t -> t.expiresAt() != null).findFirst().orElseThrow().tokenId();
        assertThat(listed.get(0)).contains("ID").contains("SCOPES").contains("EXPIRES");
        assertThat(listed).hasSize(3).anySatisfy(l -> assertThat(l).startsWith(id).contains("run,read")
                .doesNotContain("never"));
        assertThat(String.join("\n", listed)).doesNotContain(token);

        TenantTokenCommand revoke = new TenantTokenCommand();
        revoke.revoke = id;
        assertThat(run(revoke).get(0)).contains(id).contains("revoked");
        assertThat(directory.authenticate(token)).isEmpty();
        assertThatThrownBy(() -> run(revoke)).hasMessageContaining("No stored token");
    }

    @Test
    void anAdministratorTokenIsRevocableAndBadOptionsAreNamed() throws Exception {
        TenantTokenCommand issue = new TenantTokenCommand();
        issue.admin = true;
        issue.scope = "read";
        List<String> issued = run(issue);
        String admin = issued.get(issued.size() - 1);
        assertThat(directory.authenticate(admin).orElseThrow().isAdmin()).isTrue();

        TenantTokenCommand revoke = new TenantTokenCommand();
        revoke.revoke = directory.tokens(null).get(0).tokenId();
        run(revoke);
        assertThat(directory.authenticate(admin)).isEmpty();

        directory.create("acme");
        TenantTokenCommand bad = new TenantTokenCommand();
        bad.name = "acme";
        bad.scope = "write";
        assertThatThrownBy(() -> run(bad)).hasMessageContaining("scope").hasMessageContaining("write");
        bad.scope = null;
        for (String expires : new String[] {"0d", "-5d", "forever", "30x", "PT0S", "PT9999999999999999S", "3651d"}) {
            bad.expires = expires;
            assertThatThrownBy(() -> run(bad)).as(expires).hasMessageContaining("--expires");
        }
        assertThat(TenantTokenCommand.lifetime("12h")).isEqualTo(java.time.Duration.ofHours(12));
        assertThat(TenantTokenCommand.lifetime("PT8H")).isEqualTo(java.time.Duration.ofHours(8));
    }

    @Test
    void tenantDeleteRevokesTheTokens() throws Exception {
        String token = directory.create("acme").token();
        TenantDeleteCommand delete = new TenantDeleteCommand();
        delete.name = "acme";

        List<String> lines = run(delete);

        assertThat(lines.get(0)).isEqualTo("Tenant acme deleted; its 1 token(s) no longer work.");
        assertThat(directory.authenticate(token)).isEmpty();
        assertThatThrownBy(() -> run(delete)).isInstanceOf(UnknownTenantException.class);
    }

    private List<String> run(TenantCommandSupport command) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        command.execute(directory, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
