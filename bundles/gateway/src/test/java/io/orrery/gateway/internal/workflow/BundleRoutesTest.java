package io.orrery.gateway.internal.workflow;

import static io.orrery.gateway.internal.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orrery.gateway.internal.FakeBundleDeployer;
import io.orrery.gateway.internal.GatewayFixture;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BundleRoutesTest {

    private static final String JAR = "application/java-archive";
    private static GatewayFixture gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = GatewayFixture.with().property("quota.beta.maxBundleBytes", 600).start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void uploadDeploysAndAnswers201WithTheWorkflows() {
        HttpResponse<String> response = gateway.post("/tenants/acme/bundles", gateway.acme.token(), JAR,
                FakeBundleDeployer.bundle("acme", "acme-media", "encode-video", "qc"));

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode body = json(response);
        assertThat(body.path("tenant").asText()).isEqualTo("acme");
        assertThat(body.path("bundle").path("symbolicName").asText()).isEqualTo("acme-media");
        assertThat(body.path("workflows").findValuesAsText("workflow")).containsExactly("encode-video", "qc");
        assertThat(gateway.deployer.deployed).contains("acme/acme-media");
    }

    @Test
    void undeployRemovesTheTenantsBundleAndAnswers404ForOneItDoesNotHave() {
        gateway.post("/tenants/acme/bundles", gateway.acme.token(), JAR, FakeBundleDeployer.bundle("acme", "acme-gone", "w"));

        HttpResponse<String> foreign = gateway.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(gateway.url("/tenants/acme/bundles/acme-gone"))).DELETE(), gateway.beta.token());
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(gateway.deployer.deployed).contains("acme/acme-gone");

        HttpResponse<String> gone = delete("/tenants/acme/bundles/acme-gone");
        assertThat(gone.statusCode()).isEqualTo(200);
        assertThat(json(gone).path("symbolicName").asText()).isEqualTo("acme-gone");
        assertThat(gateway.deployer.deployed).doesNotContain("acme/acme-gone");

        HttpResponse<String> again = delete("/tenants/acme/bundles/acme-gone");
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(json(again).path("errors").get(0).path("field").asText()).isEqualTo("symbolicName");
    }

    private HttpResponse<String> delete(String path) {
        return gateway.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(gateway.url(path))).DELETE(),
                gateway.acme.token());
    }

    @Test
    void theAdministratorMayUploadForATenant() {
        HttpResponse<String> response = gateway.post("/tenants/beta/bundles", gateway.admin.token(), null,
                FakeBundleDeployer.bundle("beta", "beta-x", "w"));
        assertThat(response.statusCode()).isEqualTo(201);
    }

    @Test
    void anotherTenantsBundleIsRejectedWithTheReason() {
        HttpResponse<String> response = gateway.post("/tenants/acme/bundles", gateway.acme.token(), JAR,
                FakeBundleDeployer.bundle("beta", "beta-media", "w"));

        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode problem = json(response);
        assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo("Orrery-Tenant");
        assertThat(problem.path("detail").asText()).contains("belongs to tenant beta");
    }

    @Test
    void aBodyThatIsNotAJarIsRefused() {
        assertThat(gateway.post("/tenants/acme/bundles", gateway.acme.token(), JAR, "hello".getBytes()).statusCode())
                .isEqualTo(400);
        assertThat(gateway.post("/tenants/acme/bundles", gateway.acme.token(), JAR, new byte[0]).statusCode())
                .isEqualTo(400);
        assertThat(gateway.post("/tenants/acme/bundles", gateway.acme.token(), "application/json", "{}".getBytes())
                .statusCode()).isEqualTo(415);
    }

    @Test
    void aBundleOverTheTenantsQuotaIs413() {
        byte[] big = FakeBundleDeployer.bundle("beta", "beta-big", 2000, "w");
        HttpResponse<String> response = gateway.post("/tenants/beta/bundles", gateway.beta.token(), JAR, big);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).path("detail").asText()).contains("600 bytes");
    }

    @Test
    void dryRunReportsWhatWouldFireWithoutDeploying() {
        int before = gateway.deployer.deployed.size();
        HttpResponse<String> response = gateway.post("/tenants/acme/bundles/dry-run", gateway.acme.token(), JAR,
                FakeBundleDeployer.bundle("acme", "acme-media", "encode-video"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("workflows").get(0).path("wouldFire").path("reencode").asLong()).isEqualTo(3);
        assertThat(gateway.deployer.deployed).hasSize(before);
    }

    @Test
    void withoutADeployerTheUploadIsUnavailable() {
        gateway.services.setDeployer(null);
        try {
            HttpResponse<String> response = gateway.post("/tenants/acme/bundles", gateway.acme.token(), JAR,
                    FakeBundleDeployer.bundle("acme", "acme-media", "w"));
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
        } finally {
            gateway.services.setDeployer(gateway.deployer);
        }
    }
}
