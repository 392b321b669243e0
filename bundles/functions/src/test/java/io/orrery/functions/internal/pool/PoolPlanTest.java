package io.orrery.functions.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoolPlanTest {

    static Map<String, Object> valid() {
        Map<String, Object> p = new HashMap<>();
        p.put("pool.root.max", "8");
        p.put("pool.tenants.parent", "root");
        p.put("pool.tenants.reserved", "6");
        p.put("pool.acme.parent", "tenants");
        p.put("pool.acme.reserved", "2");
        p.put("pool.acme.max", "4");
        p.put("pool.batch.parent", "root");
        p.put("tenant.acme", "acme");
        p.put("function.media.encode", "acme");
        p.put("default", "tenants");
        p.put("opportunistic", "media.index , reports.nightly");
        p.put("service.pid", "io.orrery.pools");
        p.put("felix.fileinstall.filename", "file:/x/etc/io.orrery.pools.cfg");
        return p;
    }

    @Test
    void aValidFileGivesTheTreeParentsFirstWithDefaultsFilledIn() {
        PoolPlan plan = PoolPlan.parse(valid());
        assertThat(plan.pools()).containsExactly(new PoolSpec("root", null, 0, 8),
                new PoolSpec("batch", "root", 0, 8), new PoolSpec("tenants", "root", 6, 8),
                new PoolSpec("acme", "tenants", 2, 4));
        assertThat(plan.poolOf("acme", "media.probe")).isEqualTo("acme");
        assertThat(plan.poolOf("beta", "media.encode")).isEqualTo("acme");
        assertThat(plan.poolOf("beta", "other")).isEqualTo("tenants");
        assertThat(plan.isOpportunistic("media.index")).isTrue();
        assertThat(plan.isOpportunistic("media.encode")).isFalse();
        assertThat(plan.waiting()).isEqualTo(16);
    }

    void refused(String key, Object value, String expectedKey, String words) {
        Map<String, Object> p = valid();
        if (value == null) {
            p.remove(key);
        } else {
            p.put(key, value);
        }
        assertThatThrownBy(() -> PoolPlan.parse(p)).isInstanceOf(PoolConfigException.class)
                .hasMessageStartingWith(expectedKey + ": ").hasMessageContaining(words)
                .satisfies(e -> assertThat(((PoolConfigException) e).key()).isEqualTo(expectedKey));
    }

    @Test
    void aBadFileIsRefusedNamingTheKeyAtFault() {
        refused("pool.acme.max", "four", "pool.acme.max", "whole number");
        refused("pool.acme.reserved", "5", "pool.acme.reserved", "more than the pool's max 4");
        refused("pool.acme.max", "9", "pool.acme.max", "more than the max 8 of its parent 'tenants'");
        refused("pool.batch.reserved", "3", "pool.tenants.reserved", "below 'root' add up to 9");
        refused("pool.acme.parent", "nowhere", "pool.acme.parent", "no pool named 'nowhere'");
        refused("pool.batch.parent", "", "pool.root.parent", "only one pool may be the root");
        refused("pool.root.max", "", "pool.root.max", "required for the root pool");
        refused("pool.root.max", "0", "pool.root.max", "at least 1");
        refused("tenant.beta", "gold", "tenant.beta", "no pool named 'gold'");
        refused("function.x", "a.b", "function.x", "expected a pool name");
        refused("default", "gold", "default", "no pool named 'gold'");
        refused("pools.root.max", "3", "pools.root.max", "unknown key");
        refused("waiting", "0", "waiting", "at least 1");
        refused("batch.media.encode", "0", "batch.media.encode", "1 to 1000 calls");
        refused("batch.media.encode", "many", "batch.media.encode", "whole number");
    }

    @Test
    void aFunctionsBatchSizeMayBeConfigured() {
        Map<String, Object> p = valid();
        p.put("batch.media.encode", "16");
        PoolPlan plan = PoolPlan.parse(p);
        assertThat(plan.batchOf("media.encode")).isEqualTo(16);
        assertThat(plan.batchOf("media.probe")).as("the function's own").isZero();
        assertThat(plan.resize("root", 0, 8).batchOf("media.encode")).isEqualTo(16);
    }

    @Test
    void aCycleIsRefused() {
        Map<String, Object> p = new HashMap<>(Map.of("pool.root.max", "4", "pool.x.parent", "y", "pool.x.max", "1",
                "pool.y.parent", "x", "pool.y.max", "1"));
        assertThatThrownBy(() -> PoolPlan.parse(p)).isInstanceOf(PoolConfigException.class)
                .hasMessageContaining("cycle");
    }

    @Test
    void resizingChecksTheWholeTree() {
        PoolPlan plan = PoolPlan.parse(valid());
        assertThat(plan.resize("acme", 3, 4).pools()).contains(new PoolSpec("acme", "tenants", 3, 4));
        assertThatThrownBy(() -> plan.resize("batch", 3, 8)).hasMessageContaining("add up to 9");
        assertThatThrownBy(() -> plan.resize("gold", 1, 2)).hasMessageContaining("no pool named 'gold'");
    }
}
