package io.orrery.queue.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TenantSchedulerTest {

    @Test
    void sharesPicksByWeightInterleaved() {
        TenantScheduler s = new TenantScheduler(Map.of("acme", 3, "beta", 1));
        Map<String, Integer> total = new HashMap<>();
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            s.plan(List.of("acme", "beta"), 1).forEach((t, n) -> {
                total.merge(t, n, Integer::sum);
                order.append(t.charAt(0));
            });
        }
        assertThat(total).containsEntry("acme", 6).containsEntry("beta", 2);
        assertThat(order.toString()).doesNotContain("aaaa");
    }

    @Test
    void aBatchIsSplitByWeight() {
        TenantScheduler s = new TenantScheduler(Map.of("acme", 3));
        assertThat(s.plan(List.of("acme", "beta"), 40)).containsEntry("acme", 30).containsEntry("beta", 10);
    }

    @Test
    void aLoneTenantGetsEverything() {
        assertThat(new TenantScheduler(Map.of()).plan(List.of("beta"), 7)).containsEntry("beta", 7);
    }

    @Test
    void parsesWeights() {
        assertThat(QueueOptions.parseWeights("acme:3, beta:1")).containsEntry("acme", 3).containsEntry("beta", 1);
        assertThat(QueueOptions.parseWeights(" ")).isEmpty();
    }
}
