package io.orrery.gateway.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import io.orrery.api.time.ClusterClock;
import io.orrery.gateway.internal.GatewayFixture;
import io.orrery.gateway.internal.TestGrid;
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
        return GatewayFixture.with().property("quota.acme.requestsPerSecond", "5").property("quota.acme.burst", "10")
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
