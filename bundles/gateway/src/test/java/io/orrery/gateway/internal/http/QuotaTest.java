package io.orrery.gateway.internal.http;

import static io.orrery.gateway.internal.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.gateway.internal.GatewayFixture;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Per-tenant quotas from configuration: request rate (token bucket) and instance count, both 429 with Retry-After. */
class QuotaTest {

    @Test
    void overItsRequestRateATenantGets429WithRetryAfterWhileOthersAreServed() throws Exception {
        try (GatewayFixture gateway = GatewayFixture.with()
                .property("quota.beta.requestsPerSecond", "0.2").property("quota.beta.burst", "3").start()) {
            for (int i = 0; i < 3; i++) {
                assertThat(gateway.get("/tenants/beta/workflows", gateway.beta.token()).statusCode()).isEqualTo(200);
            }

            HttpResponse<String> limited = gateway.get("/tenants/beta/workflows", gateway.beta.token());

            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(
                    v -> assertThat(Integer.parseInt(v)).isBetween(1, 5));
            assertThat(json(limited).path("type").asText()).isEqualTo("urn:orrery:problem:rate-limited");
            assertThat(gateway.get("/tenants/acme/workflows", gateway.acme.token()).statusCode()).isEqualTo(200);
            // The administrator acting on beta spends beta's rate: no way around a tenant's limit.
            assertThat(gateway.get("/tenants/beta/workflows", gateway.admin.token()).statusCode()).isEqualTo(429);
            assertThat(gateway.get("/tenants/acme/workflows", gateway.admin.token()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aNewInstanceOverTheTenantsQuotaIs429ButExistingOnesStillTakeFacts() throws Exception {
        try (GatewayFixture gateway = GatewayFixture.with().property("quota.beta.maxInstances", "2").start()) {
            gateway.engine.deploy("beta", "w", 1);
            String path = "/tenants/beta/workflows/w/instances";
            assertThat(gateway.postJson(path, gateway.beta.token(), "{\"key\":\"a\",\"input\":{}}").statusCode()).isEqualTo(202);
            assertThat(gateway.postJson(path, gateway.beta.token(), "{\"key\":\"b\",\"input\":{}}").statusCode()).isEqualTo(202);

            HttpResponse<String> third = gateway.postJson(path, gateway.beta.token(), "{\"key\":\"c\",\"input\":{}}");
            HttpResponse<String> existing = gateway.postJson(path, gateway.beta.token(), "{\"key\":\"a\",\"input\":{\"more\":1}}");

            assertThat(third.statusCode()).isEqualTo(429);
            assertThat(third.headers().firstValue("Retry-After")).isPresent();
            assertThat(json(third).path("detail").asText()).contains("maxInstances");
            assertThat(existing.statusCode()).isEqualTo(202);
            assertThat(gateway.engine.instanceCount()).isEqualTo(2);
        }
    }

    @Test
    void aCountTheClusterLacksIsTakenFromTheInstancesTheEngineHolds() throws Exception {
        try (GatewayFixture gateway = GatewayFixture.with().property("quota.beta.maxInstances", "3").start()) {
            gateway.engine.deploy("beta", "w", 1);
            // As after a full restart: the engine restored two instances from the store, the grid counts nothing.
            for (String key : new String[] {"old-1", "old-2"}) {
                gateway.engine.submit(new io.orrery.api.engine.InstanceRequest("beta", "w", key, java.util.Map.of(), 5,
                        io.orrery.api.trace.TraceContext.newTrace()));
            }
            String path = "/tenants/beta/workflows/w/instances";

            assertThat(gateway.postJson(path, gateway.beta.token(), "{\"input\":{}}").statusCode()).isEqualTo(202);
            assertThat(gateway.postJson(path, gateway.beta.token(), "{\"input\":{}}").statusCode()).isEqualTo(429);
            assertThat(gateway.engine.instanceCount()).isEqualTo(3);
        }
    }
}
