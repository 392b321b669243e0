package io.orrery.gateway.internal.http;

import static io.orrery.gateway.internal.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.engine.InputField;
import io.orrery.api.tenant.IssuedToken;
import io.orrery.api.tenant.TokenScope;
import io.orrery.api.tenant.TokenTerms;
import io.orrery.gateway.internal.FakeBundleDeployer;
import io.orrery.gateway.internal.GatewayFixture;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Token scopes on every kind of endpoint: a read token only reads, a run token runs but cannot deploy, a deploy
 * token deploys but cannot run; a revoked token, an administrator's included, is refused like an unknown one.
 */
class TokenScopesTest {

    private static final String JAR = "application/java-archive";
    private static final String INSTANCES = "/tenants/acme/workflows/encode/instances";
    private static GatewayFixture gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = GatewayFixture.start();
        gateway.engine.deploy("acme", "encode", 1, new InputField("source", String.class, false, null));
        gateway.postJson(INSTANCES, gateway.acme.token(), "{\"key\":\"v1\",\"input\":{\"source\":\"s3://a\"}}");
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static String token(TokenScope... scopes) {
        return gateway.directory.issueToken("acme", new TokenTerms(Set.of(scopes), null), false).token();
    }

    @Test
    void aReadTokenReadsButCannotUploadCodeOrCreateInstances() {
        String read = token(TokenScope.READ);

        assertThat(gateway.get("/tenants/acme/workflows", read).statusCode()).isEqualTo(200);
        assertThat(gateway.get(INSTANCES + "/v1", read).statusCode()).isEqualTo(200);
        HttpResponse<String> upload = gateway.post("/tenants/acme/bundles", read, JAR,
                FakeBundleDeployer.bundle("acme", "acme-sneaky", "w"));
        assertThat(upload.statusCode()).isEqualTo(403);
        assertThat(upload.headers().firstValue("WWW-Authenticate")).get().asString()
                .contains("insufficient_scope").contains("scope=\"deploy\"");
        assertThat(json(upload).path("detail").asText()).contains("'deploy'");
        assertThat(gateway.deployer.deployed).doesNotContain("acme/acme-sneaky");
        assertThat(gateway.post("/tenants/acme/bundles/dry-run", read, JAR,
                FakeBundleDeployer.bundle("acme", "acme-sneaky", "w")).statusCode()).isEqualTo(403);
        assertThat(gateway.postJson(INSTANCES, read, "{\"key\":\"by-read\",\"input\":{}}").statusCode()).isEqualTo(403);
        assertThat(gateway.postJson(INSTANCES + "/v1/retry", read, "").statusCode()).isEqualTo(403);
        assertThat(gateway.send(HttpRequest.newBuilder(URI.create(gateway.url("/tenants/acme/bundles/acme-media")))
                .DELETE(), read).statusCode()).isEqualTo(403);
        assertThat(gateway.engine.submissions).noneMatch(s -> "by-read".equals(s.request().key()));
    }

    @Test
    void aRunTokenRunsButCannotDeploy() {
        String run = token(TokenScope.RUN);

        assertThat(gateway.postJson(INSTANCES, run, "{\"key\":\"by-run\",\"input\":{}}").statusCode()).isEqualTo(202);
        assertThat(gateway.post("/tenants/acme/bundles", run, JAR, FakeBundleDeployer.bundle("acme", "acme-run", "w"))
                .statusCode()).isEqualTo(403);
        assertThat(gateway.get("/tenants/acme/workflows", run).statusCode()).as("no read scope").isEqualTo(403);
    }

    @Test
    void aDeployTokenDeploysButCannotRun() {
        String deploy = token(TokenScope.DEPLOY);

        assertThat(gateway.post("/tenants/acme/bundles", deploy, JAR, FakeBundleDeployer.bundle("acme", "acme-dep", "w"))
                .statusCode()).isEqualTo(201);
        assertThat(gateway.postJson(INSTANCES, deploy, "{\"key\":\"by-deploy\",\"input\":{}}").statusCode()).isEqualTo(403);
    }

    @Test
    void revokedTokensAreRefusedAdministratorTokensIncluded() {
        IssuedToken tenant = gateway.directory.issueToken("acme", false);
        IssuedToken admin = gateway.directory.issueAdminToken();
        assertThat(gateway.get("/tenants/acme/workflows", tenant.token()).statusCode()).isEqualTo(200);
        assertThat(gateway.get("/tenants/acme/workflows", admin.token()).statusCode()).isEqualTo(200);

        assertThat(gateway.directory.revokeToken(tenant.tokenId())).isTrue();
        assertThat(gateway.directory.revokeToken(admin.tokenId())).isTrue();

        assertThat(gateway.get("/tenants/acme/workflows", tenant.token()).statusCode()).isEqualTo(401);
        assertThat(gateway.get("/tenants/acme/workflows", admin.token()).statusCode()).isEqualTo(401);
        assertThat(gateway.get("/tenants/acme/workflows", gateway.admin.token()).statusCode()).isEqualTo(200);
    }
}
