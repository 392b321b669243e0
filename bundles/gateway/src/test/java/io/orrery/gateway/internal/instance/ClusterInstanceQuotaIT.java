package io.orrery.gateway.internal.instance;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import io.orrery.gateway.internal.GatewayFixture;
import io.orrery.gateway.internal.TestGrid;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two gateways on two Hazelcast members of one cluster, each with an engine of its own, share each tenant's
 * {@code maxInstances}: requests sent to both at once create exactly the quota, never more, and every other one
 * is refused with 429.
 */
class ClusterInstanceQuotaIT {

    private static final int QUOTA = 12;
    private static final String PATH = "/tenants/acme/workflows/w/instances";

    private List<HazelcastInstance> members;
    private GatewayFixture first;
    private GatewayFixture second;

    @BeforeEach
    void twoGateways() throws Exception {
        members = TestGrid.cluster(2);
        first = gateway(members.get(0));
        second = gateway(members.get(1));
    }

    private static GatewayFixture gateway(HazelcastInstance member) throws Exception {
        GatewayFixture g = GatewayFixture.with().property("quota.acme.maxInstances", String.valueOf(QUOTA))
                .instanceCounts(InstanceCounts.on(member)).start();
        g.engine.deploy("acme", "w", 1);
        g.engine.deploy("beta", "w", 1);
        return g;
    }

    @AfterEach
    void stop() {
        first.close();
        second.close();
        members.forEach(m -> m.getLifecycleService().terminate());
    }

    @Test
    void concurrentRequestsOnBothGatewaysNeverCreateMoreThanTheQuota() throws Exception {
        int perThread = 6;
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads * 2);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<Integer>>> sent = new ArrayList<>();
        try {
            for (int t = 0; t < threads * 2; t++) {
                GatewayFixture g = t % 2 == 0 ? first : second;
                sent.add(pool.submit(statuses(g, go, perThread)));
            }
            go.countDown();
            List<Integer> all = new ArrayList<>();
            for (Future<List<Integer>> f : sent) {
                all.addAll(f.get());
            }
            assertThat(all).allMatch(s -> s == 202 || s == 429);
            assertThat(all.stream().filter(s -> s == 202).count()).isEqualTo(QUOTA);
        } finally {
            pool.shutdownNow();
        }
        assertThat(first.engine.instanceCount() + second.engine.instanceCount()).isEqualTo(QUOTA);
        assertThat(second.postJson(PATH.replace("acme", "beta"), second.beta.token(), "{\"input\":{}}").statusCode())
                .as("another tenant's count is its own").isEqualTo(202);
    }

    @Test
    void aRefusedRequestGivesItsPlaceBack() {
        for (int i = 0; i < QUOTA - 1; i++) {
            assertThat(first.postJson(PATH, first.acme.token(), "{\"input\":{}}").statusCode()).isEqualTo(202);
        }
        assertThat(second.postJson("/tenants/acme/workflows/unknown/instances", second.acme.token(),
                "{\"input\":{}}").statusCode()).isEqualTo(404);

        assertThat(second.postJson(PATH, second.acme.token(), "{\"input\":{}}").statusCode()).isEqualTo(202);
        assertThat(first.postJson(PATH, first.acme.token(), "{\"input\":{}}").statusCode()).isEqualTo(429);
    }

    private static Callable<List<Integer>> statuses(GatewayFixture g, CountDownLatch go, int n) {
        return () -> {
            go.await();
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                statuses.add(g.postJson(PATH, g.acme.token(), "{\"input\":{}}").statusCode());
            }
            return statuses;
        };
    }
}
