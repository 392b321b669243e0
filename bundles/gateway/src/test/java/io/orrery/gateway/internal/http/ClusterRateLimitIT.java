package io.orrery.gateway.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import io.orrery.api.time.ClusterClock;
import io.orrery.gateway.internal.GatewayFixture;
import io.orrery.gateway.internal.TestGrid;
import io.orrery.api.tenant.TenantQuota;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two gateways on two Hazelcast members of one cluster share each tenant's bucket: a rate of N per second admits
 * about N across both, not N on each. The buckets run on a clock the test moves (standing in for the cluster's),
 * so the counts are exact.
 */
class ClusterRateLimitIT {

    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private List<HazelcastInstance> members;
    private GatewayFixture first;
    private GatewayFixture second;

    @BeforeEach
    void twoGateways() throws Exception {
        members = TestGrid.cluster(2);
        first = gateway(members.get(0));
        second = gateway(members.get(1));
    }

    private GatewayFixture gateway(HazelcastInstance member) throws Exception {
        // Defaults (the administrators' bucket too): 3 per second, burst 6; acme 5 and 10; beta roomy.
        return GatewayFixture.with().quota(new TenantQuota(64 * 1024, 10_000, 3, 6))
                .property("quota.acme.requestsPerSecond", "5").property("quota.acme.burst", "10")
                .property("quota.beta.requestsPerSecond", "10000").property("quota.beta.burst", "10000")
                .buckets(new ClusterBuckets(member.getMap(ClusterBuckets.MAP), new ClusterClock(now::get))).start();
    }

    @AfterEach
    void stop() {
        first.close();
        second.close();
        members.forEach(m -> m.getLifecycleService().terminate());
    }

    @Test
    void aTenantsRateHoldsAcrossBothGateways() {
        assertThat(admittedOf(40)).as("the burst of 10, shared").isEqualTo(10);
        now.addAndGet(1_000);
        assertThat(admittedOf(40)).as("one second's refill of 5, shared").isEqualTo(5);
        now.addAndGet(400);
        assertThat(admittedOf(40)).as("two tokens in 0.4 s").isEqualTo(2);
    }

    @Test
    void anAdministratorOnEitherGatewaySpendsTheTenantsRate() {
        assertThat(admittedOf(8)).isEqualTo(8);
        int admitted = 0;
        for (int i = 0; i < 6; i++) {
            GatewayFixture g = i % 2 == 0 ? first : second;
            if (g.get("/tenants/acme/workflows", g.admin.token()).statusCode() == 200) {
                admitted++;
            }
        }
        assertThat(admitted).isEqualTo(2);
        assertThat(first.get("/tenants/acme/workflows", first.acme.token()).statusCode()).isEqualTo(429);
        // Another tenant's bucket is untouched.
        assertThat(second.get("/tenants/beta/workflows", second.beta.token()).statusCode()).isEqualTo(200);
    }

    @Test
    void administratorTokensHaveARateOfTheirOwnAcrossBothGateways() {
        int admitted = 0;
        for (int i = 0; i < 20; i++) {
            GatewayFixture g = i % 2 == 0 ? first : second;
            HttpResponse<String> response = g.get("/tenants/beta/workflows", g.admin.token());
            assertThat(response.statusCode()).isIn(200, 429);
            if (response.statusCode() == 200) {
                admitted++;
            } else {
                assertThat(response.headers().firstValue("Retry-After")).isPresent();
            }
        }
        assertThat(admitted).as("the administrators' burst of 6, shared").isEqualTo(6);
        assertThat(first.get("/tenants/beta/workflows", first.beta.token()).statusCode()).as("beta's own bucket")
                .isEqualTo(200);
        now.addAndGet(1_000);
        assertThat(second.get("/tenants/beta/workflows", second.admin.token()).statusCode()).isEqualTo(200);
    }

    @Test
    void failedAuthenticationsAreThrottledPerAddressAcrossBothGateways() {
        for (int i = 0; i < 10; i++) {
            GatewayFixture g = i % 2 == 0 ? first : second;
            assertThat(g.get("/tenants/beta/workflows", "orr_guess" + i + "xxxxxxxxxxxxxxxxxxxxxxxxxxx").statusCode())
                    .isEqualTo(401);
        }
        for (GatewayFixture g : List.of(first, second)) {
            HttpResponse<String> throttled = g.get("/tenants/beta/workflows", "orr_another-guessxxxxxxxxxxxxxxxxxxxxx");
            assertThat(throttled.statusCode()).isEqualTo(429);
            assertThat(throttled.headers().firstValue("Retry-After")).hasValueSatisfying(
                    v -> assertThat(Long.parseLong(v)).isBetween(1L, 6L));
            assertThat(g.get("/tenants/beta/workflows", null).statusCode()).as("no token either").isEqualTo(429);
            assertThat(g.get("/tenants/beta/workflows", g.beta.token()).statusCode())
                    .as("another client's valid token from the throttled address").isEqualTo(200);
        }
        now.addAndGet(6_000);
        assertThat(first.get("/tenants/beta/workflows", "orr_guess-again" + "x".repeat(24)).statusCode())
                .as("the bucket refilled by one").isEqualTo(401);
        assertThat(second.get("/tenants/beta/workflows", "orr_guess-more" + "x".repeat(25)).statusCode()).isEqualTo(429);
    }

    /** Sends {@code n} requests alternately to the two gateways; answers how many were not refused with 429. */
    private int admittedOf(int n) {
        int admitted = 0;
        for (int i = 0; i < n; i++) {
            GatewayFixture g = i % 2 == 0 ? first : second;
            int status = g.get("/tenants/acme/workflows", g.acme.token()).statusCode();
            assertThat(status).isIn(200, 429);
            if (status == 200) {
                admitted++;
            }
        }
        return admitted;
    }
}
