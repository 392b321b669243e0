package io.orrery.gateway.internal.http;

import static io.orrery.gateway.internal.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orrery.api.engine.InstanceId;
import io.orrery.gateway.internal.GatewayFixture;
import io.orrery.gateway.internal.TestGrid;
import io.orrery.gateway.internal.instance.InstanceCounts;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
    void concurrentCreatesOfOneNewKeyTakeOnePlaceInTheQuota() throws Exception {
        InstanceCounts counts = TestGrid.freshInstanceCounts();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try (GatewayFixture gateway = GatewayFixture.with().property("quota.beta.maxInstances", "2")
                .instanceCounts(counts).start()) {
            CountDownLatch release = new CountDownLatch(1);
            gateway.engine.deploy("beta", "w", 1).holdSubmissions(release);
            String path = "/tenants/beta/workflows/w/instances";
            InstanceId same = new InstanceId("beta", "w", "same");
            List<Future<HttpResponse<String>>> creates = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                creates.add(clients.submit(() -> gateway.postJson(path, gateway.beta.token(),
                        "{\"key\":\"same\",\"input\":{}}")));
            }
            // every request has looked for the key and missed it: the first creation is held until now
            await().atMost(Duration.ofSeconds(30)).until(() -> gateway.engine.finds(same) >= 4);
            release.countDown();

            for (Future<HttpResponse<String>> create : creates) {
                HttpResponse<String> response = create.get(60, TimeUnit.SECONDS);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            }
            assertThat(gateway.engine.instanceCount()).isEqualTo(1);
            assertThat(counts.held("beta")).isEqualTo(1);
            assertThat(gateway.postJson(path, gateway.beta.token(), "{\"key\":\"other\",\"input\":{}}").statusCode())
                    .isEqualTo(202);
        } finally {
            clients.shutdownNow();
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
